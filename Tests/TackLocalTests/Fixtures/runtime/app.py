# The workload of the local runtime tests: an HTTP server on $HOST:$PORT that answers GET / with
# "$APP_VERSION $TACK_REPLICA", /readyz with 200 (after READY_AFTER seconds), /metrics with a
# request counter in the trainer service's metric names, and /crash by exiting with status 3.
# With CRASH_AT_START=1 it exits at once (a crash loop). SIGTERM ends it with status 0.
import http.server, os, signal, sys, threading, time

started = time.time()
ready_after = float(os.environ.get("READY_AFTER", "0"))
requests = {"count": 0}
lock = threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/readyz":
            ok = time.time() - started >= ready_after
            self.reply(200 if ok else 503, b"ok\n" if ok else b"starting\n")
        elif self.path == "/metrics":
            with lock:
                count = requests["count"]
            body = ("# TYPE lora_http_requests_total counter\n"
                    f'lora_http_requests_total{{code="200",method="GET",route="/"}} {count}\n').encode()
            self.reply(200, body)
        elif self.path == "/crash":
            self.reply(200, b"bye\n")
            os._exit(3)
        else:
            with lock:
                requests["count"] += 1
            name = f"{os.environ.get('APP_VERSION', '?')} {os.environ.get('TACK_REPLICA', '?')}\n"
            self.reply(200, name.encode())

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass

if os.environ.get("CRASH_AT_START") == "1":
    print("crashing at start", flush=True)
    sys.exit(1)
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
server = http.server.ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])), Handler)
server.daemon_threads = True
print(f"serving {os.environ.get('APP_VERSION')} on {os.environ.get('HOST')}:{os.environ['PORT']}", flush=True)
server.serve_forever()
