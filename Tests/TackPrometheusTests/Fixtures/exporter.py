#!/usr/bin/env python3
"""A test exporter of LoRA's HTTP metrics whose traffic the tests control (stdlib only).

Each track is a path: Prometheus scrapes /metrics/<track>, and its target labels add app, account,
track and version. Traffic is simulated lazily and deterministically: every time a track is read
or changed, the requests since the last time are added (rps x elapsed seconds, fractions carried
over); every request is an error when the running error share reaches a whole request (so 0.3
gives exactly 3 errors in every 10 requests), and its latency is the next value of
`latencySeconds`, round-robin, so the injected distribution is exact.

  python3 exporter.py [--port N] [--exit-on-stdin-eof]
                      [--config PATH --target TRACK=VERSION ... --app A --account B]
    prints "PORT <n>" once listening on 127.0.0.1 (port 0 picks a free one), after writing to
    PATH a Prometheus configuration (1 s scrapes) with one target per track, labelled
    app, account, track and version.
  POST /control/<track>  {"rps": 50, "errorShare": 0.3, "latencySeconds": [0.02, 0.3],
                          "initCodes": true}   any subset; answers the track's state
  GET  /state/<track>    {"requests": .., "errors": .., ...}
  GET  /metrics/<track>  Prometheus text exposition

Series: lora_http_requests_total{code,method,route} and the histogram
lora_http_request_duration_seconds{method,route} with buckets 0.005 .. 10. With initCodes (the
default, and good practice) the 200 and 500 series exist at 0 before any request; without it a
series appears with its first request, as in most client libraries.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
LABELS = 'method="POST",route="/v1/recommend"'


class Track:
    def __init__(self):
        self.rps = 0.0
        self.error_share = 0.0
        self.latencies = [0.02]
        self.init_codes = True
        self.last = time.monotonic()
        self.carry = 0.0
        self.error_carry = 0.0
        self.next_latency = 0
        self.codes = {}
        self.buckets = [0] * len(BUCKETS)
        self.count = 0
        self.sum = 0.0

    def advance(self):
        now = time.monotonic()
        self.carry += self.rps * (now - self.last)
        self.last = now
        whole = int(self.carry)
        self.carry -= whole
        for _ in range(whole):
            self.error_carry += self.error_share
            if self.error_carry >= 1 - 1e-9:
                self.error_carry -= 1
                code = "500"
            else:
                code = "200"
            self.codes[code] = self.codes.get(code, 0) + 1
            latency = self.latencies[self.next_latency % len(self.latencies)]
            self.next_latency += 1
            self.count += 1
            self.sum += latency
            for index, bound in enumerate(BUCKETS):
                if latency <= bound:
                    self.buckets[index] += 1

    def control(self, settings):
        self.advance()
        if "rps" in settings:
            self.rps = max(0.0, float(settings["rps"]))
        if "errorShare" in settings:
            self.error_share = min(1.0, max(0.0, float(settings["errorShare"])))
            self.error_carry = 0.0
        if "latencySeconds" in settings and settings["latencySeconds"]:
            self.latencies = [float(value) for value in settings["latencySeconds"]]
            self.next_latency = 0
        if "initCodes" in settings:
            self.init_codes = bool(settings["initCodes"])

    def state(self):
        return {
            "rps": self.rps,
            "errorShare": self.error_share,
            "requests": self.count,
            "errors": self.codes.get("500", 0),
            "latencySum": self.sum,
        }

    def exposition(self):
        codes = dict(self.codes)
        if self.init_codes:
            for code in ("200", "500"):
                codes.setdefault(code, 0)
        lines = [
            "# HELP lora_http_requests_total Requests served, by status code.",
            "# TYPE lora_http_requests_total counter",
        ]
        for code in sorted(codes):
            lines.append(f'lora_http_requests_total{{code="{code}",{LABELS}}} {codes[code]}')
        lines += [
            "# HELP lora_http_request_duration_seconds Time to serve a request.",
            "# TYPE lora_http_request_duration_seconds histogram",
        ]
        if self.init_codes or self.count:
            for bound, count in zip(BUCKETS, self.buckets):
                lines.append(f'lora_http_request_duration_seconds_bucket{{{LABELS},le="{bound:g}"}} {count}')
            lines.append(f'lora_http_request_duration_seconds_bucket{{{LABELS},le="+Inf"}} {self.count}')
            lines.append(f"lora_http_request_duration_seconds_sum{{{LABELS}}} {self.sum!r}")
            lines.append(f"lora_http_request_duration_seconds_count{{{LABELS}}} {self.count}")
        return "\n".join(lines) + "\n"


TRACKS = {}
LOCK = threading.Lock()


def track(name):
    if name not in TRACKS:
        TRACKS[name] = Track()
    return TRACKS[name]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        return (parts[0], parts[1]) if len(parts) == 2 and parts[1] else (None, None)

    def do_GET(self):
        kind, name = self.route()
        with LOCK:
            if kind == "metrics":
                state = track(name)
                state.advance()
                return self.reply(200, state.exposition(), "text/plain; version=0.0.4")
            if kind == "state":
                state = track(name)
                state.advance()
                return self.reply(200, json.dumps(state.state()))
        self.reply(404, '{"error":"not found"}')

    def do_POST(self):
        kind, name = self.route()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        if kind != "control":
            return self.reply(404, '{"error":"not found"}')
        try:
            settings = json.loads(raw or b"{}")
        except ValueError:
            return self.reply(400, '{"error":"body is not JSON"}')
        with LOCK:
            state = track(name)
            state.control(settings)
            self.reply(200, json.dumps(state.state()))

    def log_message(self, format, *args):
        pass


def write_config(options, port):
    """A Prometheus configuration (JSON is YAML) scraping every track each second."""
    static_configs = []
    for target in options.target:
        name, _, version = target.partition("=")
        static_configs.append({
            "targets": [f"127.0.0.1:{port}"],
            "labels": {"__metrics_path__": f"/metrics/{name}", "app": options.app,
                       "account": options.account, "track": name, "version": version or "v1"},
        })
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
        "scrape_configs": [{"job_name": "lora", "static_configs": static_configs}],
    }
    with open(options.config, "w") as file:
        json.dump(config, file, indent=2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="exit when the parent closes stdin (or dies), so no exporter outlives a test run")
    parser.add_argument("--config", help="write a Prometheus configuration scraping the targets here")
    parser.add_argument("--target", action="append", default=[], metavar="TRACK=VERSION")
    parser.add_argument("--app", default="lora")
    parser.add_argument("--account", default="local")
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    if options.config:
        write_config(options, server.server_address[1])
    print(f"PORT {server.server_address[1]}", flush=True)
    if options.exit_on_stdin_eof:
        def watch():
            sys.stdin.buffer.read()
            server.shutdown()
        threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
