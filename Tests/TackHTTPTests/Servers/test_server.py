#!/usr/bin/env python3
"""HTTP/1.1 test server for TackHTTPTests (standard library only).

Binds 127.0.0.1 on a free port and prints the port as its first stdout line. Exits when its stdin
closes, so it never outlives the test process. With --cert/--key it speaks TLS; with --ca it also
requires a client certificate signed by that CA.

Routes (query parameters in brackets):
  /echo                    JSON of method, path, query, headers and body
  /chunks [delay_ms]       chunked body; lines split across chunks and several per chunk
  /slow [ms]               answers after a delay
  /status [key, fail, code, retry_after]
                           answers `code` (503) with `Retry-After` for the first `fail` attempts
                           of `key`, then 200
  /attempts [key]          how many requests /status saw for `key`
  /forever [key]           a line every 50 ms until the client goes; then /closed says so
  /closed [key]            "true" once /forever for `key` saw its connection close
  /idle                    one line, then silence for 20 s
  /flood [lines, size]     many lines as fast as possible
  /connections             how many TCP connections were accepted
"""
import argparse
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
attempts = {}
closed = set()
connections = 0
tls_context = None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def process_request(self, request, client_address):
        global connections
        with lock:
            connections += 1
        super().process_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # failed handshakes and clients that went away are expected


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        if tls_context is not None:
            self.request = tls_context.wrap_socket(self.request, server_side=True)
        super().setup()

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def route(self):
        url = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        handler = getattr(self, "route_" + url.path.strip("/"), None)
        if handler is None:
            self.answer(404, b"not found\n")
        else:
            handler()

    def answer(self, code, body, headers=None):
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def start_chunked(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_chunked(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def route_echo(self):
        url = urlsplit(self.path)
        echo = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": self.body.decode("utf-8", "replace"),
        }
        self.answer(200, json.dumps(echo).encode(), {"Content-Type": "application/json", "X-Echo": "yes"})

    def route_chunks(self):
        delay = int(self.query.get("delay_ms", "20")) / 1000
        self.start_chunked()
        for piece in [b"alpha\nbe", b"ta\ngamma\ndel", b"ta", b"\n", b"epsilon\r\nzeta\neta", b"\ntheta"]:
            self.chunk(piece)
            time.sleep(delay)
        self.end_chunked()

    def route_slow(self):
        time.sleep(int(self.query.get("ms", "1000")) / 1000)
        self.answer(200, b"slow\n")

    def route_status(self):
        key = self.query.get("key", "")
        with lock:
            attempts[key] = attempts.get(key, 0) + 1
            count = attempts[key]
        if count <= int(self.query.get("fail", "1")):
            headers = {}
            if "retry_after" in self.query:
                headers["Retry-After"] = self.query["retry_after"]
            self.answer(int(self.query.get("code", "503")), b"try later\n", headers)
        else:
            self.answer(200, b"ok\n")

    def route_attempts(self):
        with lock:
            count = attempts.get(self.query.get("key", ""), 0)
        self.answer(200, str(count).encode())

    def route_forever(self):
        key = self.query.get("key", "")
        self.start_chunked()
        try:
            tick = 0
            while True:
                self.chunk(b"tick %d\n" % tick)
                tick += 1
                time.sleep(0.05)
        except OSError:
            with lock:
                closed.add(key)
            self.close_connection = True

    def route_closed(self):
        with lock:
            answer = self.query.get("key", "") in closed
        self.answer(200, b"true" if answer else b"false")

    def route_idle(self):
        self.start_chunked()
        self.chunk(b"hello\n")
        time.sleep(20)
        self.close_connection = True

    def route_flood(self):
        count = int(self.query.get("lines", "1000"))
        size = int(self.query.get("size", "100"))
        self.start_chunked()
        batch = []
        try:
            for number in range(count):
                batch.append(b"%08d %s\n" % (number, b"x" * (size - 10)))
                if len(batch) == 100:
                    self.chunk(b"".join(batch))
                    batch = []
            if batch:
                self.chunk(b"".join(batch))
            self.end_chunked()
        except OSError:
            self.close_connection = True

    def route_connections(self):
        with lock:
            count = connections
        self.answer(200, str(count).encode())


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    global tls_context
    # The parent's threads may block signals, and a spawned child inherits the mask.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signal.valid_signals())
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--ca")
    args = parser.parse_args()
    if args.cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.cert, args.key)
        if args.ca:
            tls_context.load_verify_locations(args.ca)
            tls_context.verify_mode = ssl.CERT_REQUIRED
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
