# The workload of the container tests: an HTTP server on 127.0.0.1:$PORT that reports what it
# can see and do from inside its container. GET /readyz answers 200, /probe a JSON report,
# /exit makes it exit with status 3 (a crash). SIGTERM ends it with status 0.
import http.server, json, os, signal, sys

def can_write(path):
    try:
        with open(path, "w") as f:
            f.write("written by the replica\n")
        return True
    except OSError:
        return False

def first_line(*paths):
    for path in paths:
        try:
            with open(path) as f:
                return f.readline().strip()
        except OSError:
            pass
    return ""

def status_field(name):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    return ""

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/readyz":
            self.reply(200, b"ok\n")
        elif self.path == "/probe":
            report = {
                "uid": os.getuid(), "gid": os.getgid(),
                "rootWritable": can_write("/app/probe-root"),
                "dataWritable": can_write(os.environ["DATA_DIR"] + "/probe.txt"),
                "noNewPrivs": status_field("NoNewPrivs"),
                "capEff": status_field("CapEff"),
                "memoryLimit": first_line("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max"),
                "pidsLimit": first_line("/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/pids.max"),
                "pid": os.getpid(),
                "greeting": os.environ.get("GREETING", ""),
            }
            self.reply(200, json.dumps(report).encode())
        elif self.path == "/exit":
            self.reply(200, b"bye\n")
            print("exiting on request", flush=True)
            os._exit(3)
        else:
            self.reply(404, b"not found\n")

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
print(f"listening on 127.0.0.1:{os.environ['PORT']}", flush=True)
print("a line on stderr", file=sys.stderr, flush=True)
server.serve_forever()
