#!/usr/bin/env python3
"""A scrape target for the embedded Prometheus tests (stdlib only): serves a fixed Prometheus
text exposition at /metrics on 127.0.0.1.

  python3 target.py --port N 'lora_http_requests_total{code="200",method="POST",route="/v1/embed"} 42' ...
    each further argument is one line of the exposition. Exits when its parent process ends, so
    a test process that dies leaves no target behind.
"""

import argparse
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("lines", nargs="*")
    args = parser.parse_args()
    body = ("\n".join(args.lines) + "\n").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.2)
        server.shutdown()

    threading.Thread(target=watch_parent, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
