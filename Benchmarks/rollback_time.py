#!/usr/bin/env python3
"""Time to roll back a bad canary: from the first failing request until 100% of traffic is back on
the stable version in every account, over RUNS rollouts of a version that fails 30% of requests.

Called by rollback-time.sh with a ready TACK_HOME (images lora-train:v1 and lora-train:bad1…N
imported, v1 deployed). For each run it starts `tack run -f bad-N.yaml` (a new revision each run,
with its own version label, so no run is judged on an earlier run's requests), sends embed
requests to every main listener from 4 clients, notes the time of the first answer that is the
bad version's injected 500, and polls runtime.json every 20 ms for the moment when
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


def weights():
    for workload in workloads():
        split = workload.get("traffic", {}).get("weights", {})
        yield dict(zip(split[0::2], split[1::2])) if isinstance(split, list) else split


def canary_has_traffic():
    return any(split.get("canary", 0) or split.get("preview", 0) for split in weights())


def restored():
    return all(split.get("stable", 0) + split.get("active", 0) == 100 and not split.get("canary", 0)
               and not split.get("preview", 0) for split in weights())


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
                # Only the bad version's injected faults count, not an overloaded stable's 503.
                if error.code == 500 and b"injected fault" in error.read() and first_failure[0] is None:
                    first_failure[0] = time.monotonic()
            except Exception:
                pass


durations = []
for run in range(1, runs + 1):
    path = f"{home}/bad-{run}.yaml"
    with open(path, "w") as file:
        file.write(template.replace("{run}", str(run)))
    stop, first_failure = threading.Event(), [None]
    clients = [threading.Thread(target=load, args=(stop, first_failure), daemon=True) for _ in range(4)]
    for client in clients:
        client.start()
    process = subprocess.Popen([tack, "run", "-f", path, "--accounts", f"{home}/tack.yaml", "--home", home],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    restored_at = None
    # runtime.json records a weight once nginx serves it, so the canary may fail a request just
    # before its weight shows: "restored" counts only after the canary was seen with traffic.
    seen_traffic = False
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        seen_traffic = seen_traffic or canary_has_traffic()
        if first_failure[0] is not None and seen_traffic and restored():
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
