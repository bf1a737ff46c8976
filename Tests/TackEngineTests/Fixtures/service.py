# The workload of the engine's integration tests: an HTTP service on $HOST:$PORT that answers
# GET / with "$APP_VERSION", /readyz with 200, and /metrics with the trainer service's metric names
# (lora_http_requests_total by code, lora_http_request_duration_seconds as a histogram). A bad
# version misbehaves as lora-train's fault injection does: ERROR_RATE (0..1) answers that share of
# requests with 500, evenly spread; LATENCY (seconds) delays every request. SIGTERM ends it.
import http.server, os, signal, threading, time

error_rate = float(os.environ.get("ERROR_RATE", "0"))
latency = float(os.environ.get("LATENCY", "0"))
buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
lock = threading.Lock()
state = {"served": 0, "codes": {}, "counts": [0] * len(buckets), "sum": 0.0, "total": 0}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/readyz":
            return self.reply(200, b"ok\n")
        if self.path == "/metrics":
            return self.reply(200, metrics().encode())
        started = time.monotonic()
        if latency > 0:
            time.sleep(latency)
        with lock:
            state["served"] += 1
            failing = error_rate > 0 and int(state["served"] * error_rate) != int((state["served"] - 1) * error_rate)
        code = 500 if failing else 200
        self.reply(code, f"{os.environ.get('APP_VERSION', '?')}\n".encode())
        elapsed = time.monotonic() - started
        with lock:
            state["codes"][code] = state["codes"].get(code, 0) + 1
            for i, bound in enumerate(buckets):
                if elapsed <= bound:
                    state["counts"][i] += 1
            state["sum"] += elapsed
            state["total"] += 1

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass

def metrics():
    with lock:
        lines = ["# TYPE lora_http_requests_total counter"]
        for code in sorted(set(state["codes"]) | {200}):
            lines.append(f'lora_http_requests_total{{code="{code}",method="GET",route="/"}} {state["codes"].get(code, 0)}')
        lines.append("# TYPE lora_http_request_duration_seconds histogram")
        for bound, count in zip(buckets, state["counts"]):
            lines.append(f'lora_http_request_duration_seconds_bucket{{le="{bound}"}} {count}')
        lines.append(f'lora_http_request_duration_seconds_bucket{{le="+Inf"}} {state["total"]}')
        lines.append(f'lora_http_request_duration_seconds_sum {state["sum"]}')
        lines.append(f'lora_http_request_duration_seconds_count {state["total"]}')
    return "\n".join(lines) + "\n"

signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
server = http.server.ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])), Handler)
server.daemon_threads = True
server.serve_forever()
