#!/usr/bin/env python3
"""Upstream replicas for the router tests: `backends.py NAME=PORT ...` serves each NAME on its
127.0.0.1 PORT (HTTP/1.1, keep-alive). Every path answers 200 with the body NAME; `/slow`
answers after 50 ms, so that requests are in flight while nginx reloads. Prints "ready" once
every port listens; exits when killed."""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def handler_for(name):
    body = name.encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self):
            if self.path.startswith("/slow"):
                time.sleep(0.05)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


servers = []
for argument in sys.argv[1:]:
    name, port = argument.rsplit("=", 1)
    servers.append(Server(("127.0.0.1", int(port)), handler_for(name)))
for server in servers:
    threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
