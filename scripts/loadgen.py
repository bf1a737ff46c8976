#!/usr/bin/env python3
"""The demo's load generator: a bounded stream of requests to an application on the local runtime.

It reads the listeners of APP from $TACK_HOME/runtime.json (re-read every few seconds, so new
preview listeners are found), and for DURATION seconds it sends, per account, CLIENTS concurrent
clients of POST /v1/embed (one or two short sentences) to the main listener, one client to the
preview listener when there is one, and a small training job (5 steps, 8 pairs, 1 thread) to the
main listener every JOB_EVERY seconds. Every 10 s it prints one line per account: requests, errors
(non-2xx other than 429, and failed connections) and p99 latency over the last 10 s.

Usage: loadgen.py --home DIR --app APP [--duration 600] [--clients 2] [--job-every 20]
"""
import argparse, json, random, threading, time, urllib.error, urllib.request

SENTENCES = [
    "How do I reset my password?", "Where is my invoice?", "The app crashes on start.",
    "Can I export my data?", "How do I cancel my plan?", "Is there an API rate limit?",
]
PAIRS = [{"anchor": a, "positive": p} for a, p in [
    ("How do I reset my password?", "Use the reset link on the sign-in page."),
    ("Where is my invoice?", "Invoices are under Billing."),
    ("The app crashes on start.", "Update to the latest version."),
    ("Can I export my data?", "Settings has an export button."),
    ("How do I cancel my plan?", "Cancel under Billing, Plan."),
    ("Is there an API rate limit?", "Yes, 100 requests a minute."),
    ("Who can see my files?", "Only people you share them with."),
    ("Do you support SSO?", "Yes, SAML and OIDC."),
]]
JOB = json.dumps({"max_steps": 5, "batch_size": 4, "threads": 1, "pairs": PAIRS}).encode()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.window = {}

    def record(self, key, ok, seconds):
        with self.lock:
            entry = self.window.setdefault(key, {"requests": 0, "errors": 0, "latencies": []})
            entry["requests"] += 1
            entry["errors"] += 0 if ok else 1
            entry["latencies"].append(seconds)

    def flush(self):
        with self.lock:
            window, self.window = self.window, {}
        return window


def post(url, body, timeout):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started
    except Exception:
        return 0, time.monotonic() - started


def listeners(home, app):
    try:
        with open(f"{home}/runtime.json") as file:
            state = json.load(file)
    except (OSError, ValueError):
        return {}
    found = {}
    for workload in state.get("workloads", []):
        if workload.get("app") == app:
            found[workload["account"]] = (workload.get("listenPort"), workload.get("previewPort"))
    return found


def client(stop, stats, home, app, account, preview):
    while not stop.is_set():
        ports = listeners(home, app).get(account)
        port = ports and (ports[1] if preview else ports[0])
        if not port:
            time.sleep(1)
            continue
        texts = random.sample(SENTENCES, random.randint(1, 2))
        status, seconds = post(f"http://127.0.0.1:{port}/v1/embed", json.dumps({"texts": texts}).encode(), 10)
        if status == 503 and preview:
            time.sleep(0.5)  # no preview running: nothing to test
            continue
        stats.record(account + (" (preview)" if preview else ""), 200 <= status < 300 or status == 429, seconds)
        time.sleep(0.05 if preview else 0.01)


def jobs(stop, stats, home, app, every):
    while not stop.wait(every):
        for account, (port, _) in sorted(listeners(home, app).items()):
            status, seconds = post(f"http://127.0.0.1:{port}/v1/jobs", JOB, 30)
            stats.record(account + " jobs", status in (200, 201, 202, 429), seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--app", required=True)
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--job-every", type=float, default=20)
    args = parser.parse_args()
    stop, stats = threading.Event(), Stats()
    threads = []
    accounts = sorted(listeners(args.home, args.app)) or []
    for account in accounts:
        for _ in range(args.clients):
            threads.append(threading.Thread(target=client, args=(stop, stats, args.home, args.app, account, False), daemon=True))
        threads.append(threading.Thread(target=client, args=(stop, stats, args.home, args.app, account, True), daemon=True))
    threads.append(threading.Thread(target=jobs, args=(stop, stats, args.home, args.app, args.job_every), daemon=True))
    for thread in threads:
        thread.start()
    print(f"load: {args.clients} embed clients per account on {', '.join(accounts) or 'no account yet'}, a job every {args.job_every:g}s", flush=True)
    ends = time.monotonic() + args.duration
    try:
        while not stop.wait(min(10, max(0, ends - time.monotonic()))):
            for key, entry in sorted(stats.flush().items()):
                latencies = sorted(entry["latencies"])
                p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
                print(f"load: {key:<28} {entry['requests']:5d} requests  {entry['errors']:4d} errors  p99 {p99 * 1000:6.0f} ms", flush=True)
            if time.monotonic() >= ends:
                stop.set()
    except KeyboardInterrupt:
        stop.set()


if __name__ == "__main__":
    main()
