#!/usr/bin/env python3
"""Time to roll back a bad canary: from the first failing request until 100% of traffic is back on
the stable version in every account, over RUNS rollouts of a version that fails 30% of requests.

Called by rollback-time.sh with a ready TACK_HOME (images lora-train:v1 and lora-train:bad
imported, v1 deployed). For each run it starts `tack run -f bad-N.yaml` (a new revision each run:
the file differs by a comment), sends embed requests to every main listener from 4 clients,
notes the time of the first 5xx answer, and polls runtime.json every 20 ms for the moment when
every account routes 100% of its traffic to its stable (or active) track and no canary or preview
has weight. Prints one line per run, then median, p95, min and max, and PASS/FAIL against the
targets (median < 5 s, p95 < 10 s).
"""
import json, os, statistics, subprocess, sys, threading, time, urllib.error, urllib.request

tack, home, runs, template = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
app = "rollback-bench"


def state():
    with open(f"{home}/runtime.json") as file:
        return json.load(file)


def workloads():
    return [w for w in state().get("workloads", []) if w.get("app") == app]


def restored():
    for workload in workloads():
        weights = workload.get("traffic", {}).get("weights", {})
        weights = dict(zip(weights[0::2], weights[1::2])) if isinstance(weights, list) else weights
        serving = weights.get("stable", 0) + weights.get("active", 0)
        if serving != 100 or weights.get("canary", 0) or weights.get("preview", 0):
            return False
    return True


def load(stop, first_failure):
    while not stop.is_set():
        for workload in workloads():
            request = urllib.request.Request(f"http://127.0.0.1:{workload['listenPort']}/v1/embed",
                                             data=b'{"texts": ["where is my invoice?"]}',
                                             headers={"Content-Type": "application/json"}, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                if error.code >= 500 and first_failure[0] is None:
                    first_failure[0] = time.monotonic()
            except Exception:
                pass


durations = []
for run in range(1, runs + 1):
    path = f"{home}/bad-{run}.yaml"
    with open(path, "w") as file:
        file.write(template + f"\n# run {run}\n")
    stop, first_failure = threading.Event(), [None]
    clients = [threading.Thread(target=load, args=(stop, first_failure), daemon=True) for _ in range(4)]
    for client in clients:
        client.start()
    process = subprocess.Popen([tack, "run", "-f", path, "--accounts", f"{home}/tack.yaml", "--home", home],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    restored_at = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if first_failure[0] is not None and restored():
            restored_at = time.monotonic()
            break
        if process.poll() is not None and first_failure[0] is None:
            break
        time.sleep(0.02)
    code = process.wait(timeout=180)
    stop.set()
    for client in clients:
        client.join(timeout=15)
    if first_failure[0] is None or restored_at is None:
        print(f"run {run:2d}: no measurement (first failure {first_failure[0] is not None}, restored {restored_at is not None}, tack run exit {code})", flush=True)
        continue
    seconds = restored_at - first_failure[0]
    durations.append(seconds)
    print(f"run {run:2d}: {seconds:5.2f} s from the first failing request to 100% on stable (tack run exit {code})", flush=True)

if not durations:
    print("no run measured")
    sys.exit(1)
durations.sort()
median = statistics.median(durations)
p95 = durations[min(len(durations) - 1, int(round(0.95 * (len(durations) - 1))))]
print()
print(f"{'runs measured':<16} {len(durations)} of {runs}")
print(f"{'median':<16} {median:5.2f} s   target < 5 s   {'PASS' if median < 5 else 'FAIL'}")
print(f"{'p95':<16} {p95:5.2f} s   target < 10 s  {'PASS' if p95 < 10 else 'FAIL'}")
print(f"{'min / max':<16} {durations[0]:5.2f} s / {durations[-1]:.2f} s")
