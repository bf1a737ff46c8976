#!/usr/bin/env bash
# Load test of `lora-train serve` on loopback: CLIENTS (64) concurrent clients send POST /v1/embed
# requests of 1-3 short sentences with wrk (Debian's, driven by a Lua script) for DURATION seconds,
# while a training job (max_steps 5, threads 1, 12 pairs) is POSTed to /v1/jobs once a second.
#
# Before the load it measures the unloaded embed latency (1 client, 3 s). Afterwards it waits (at
# most DRAIN seconds) for the job queue to empty, reads /metrics and prints one table: embed
# requests/s, p50/p90/p99 latency, non-2xx responses and socket errors (from wrk); jobs submitted,
# accepted, answered 429, and their outcomes (lora_jobs_total); the server's peak RSS (VmHWM).
# Targets, printed as PASS/FAIL: no errors, and p99 embed latency under 250 ms. It is a
# measurement: it exits 0 whatever the figures, and 1 only when the run itself broke (build, server
# start, wrk). The server runs in a mktemp -d directory and is stopped on exit. See
# Benchmarks/README.md.
#
# Usage: Benchmarks/lora-serve-load.sh [--quick]     (--quick: 10 s of load instead of 30 s)
# Environment: DURATION (seconds, default 30), CLIENTS (64), DRAIN (60), JOBS (1: a job a second;
# 0: no jobs, to see what the training costs the embed latency).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"

DURATION=${DURATION:-30}
CLIENTS=${CLIENTS:-64}
DRAIN=${DRAIN:-60}
JOBS=${JOBS:-1}
for arg in "$@"; do
    case $arg in
        --quick) DURATION=10 ;;
        -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument $arg (usage: $0 [--quick])" >&2; exit 64 ;;
    esac
done
MODEL="$ROOT/models/all-MiniLM-L6-v2"

log() { printf '%s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

ensure_packages wrk curl

log "building lora-train (release) ..."
swift build -c release --product lora-train >&2
LORA_TRAIN="$(swift build -c release --product lora-train --show-bin-path)/lora-train"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then COMMIT+=" with local changes to Sources"; fi

"$ROOT/scripts/fetch-model.sh" >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lora-serve-load.XXXXXX")
SERVER_PID=""
JOBS_PID=""
cleanup() {
    local status=$?
    set +e
    [[ -n $JOBS_PID ]] && kill "$JOBS_PID" 2>/dev/null
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        # SIGTERM checkpoints running jobs (up to 30 s); give it 10 s, then SIGKILL.
        for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/state" "$WORK/output" "$WORK/data"
log "starting lora-train serve on 127.0.0.1 (PORT=0) in $WORK ..."
PORT=0 "$LORA_TRAIN" serve --model "$MODEL" --host 127.0.0.1 --state-dir "$WORK/state" \
    --output-dir "$WORK/output" --data-dir "$WORK/data" 2>"$WORK/server.log" &
SERVER_PID=$!

PORT=""
for _ in $(seq 600); do   # 60 s for the model to load and the port to be announced
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "lora-train serve exited"; }
    PORT=$(sed -n 's|^lora-train: serving .* on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$WORK/server.log" | head -n 1)
    [[ -n $PORT ]] && break
    sleep 0.1
done
[[ -n $PORT ]] || { cat "$WORK/server.log" >&2; fail "lora-train serve did not announce its port within 60 s"; }
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
    curl -fsS -o /dev/null --max-time 2 "$URL/readyz" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$URL/readyz" || fail "$URL/readyz is not ready"
log "ready on $URL (pid $SERVER_PID)"

# The wrk script: each request embeds 1-3 short sentences; the done() hook prints the status
# counts of every thread, the error counts and the latency percentiles (microseconds).
cat >"$WORK/embed.lua" <<'LUA'
local sentences = {
    "The cat sat on the mat.", "A dog is running in the park.", "Deploy the new version to production.",
    "The canary passed its analysis.", "Roll back when the error rate rises.", "She reads a book by the window.",
    "Training finished after five steps.", "The queue is full; try again later.", "Embeddings map text to vectors.",
    "A man is playing the guitar.", "Latency matters more than throughput here.", "The weather is cold today.",
}
local threads = {}
function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end
function init(args)
    statuses = {}
    math.randomseed(1000 + id)
end
function request()
    local n = math.random(1, 3)
    local texts = {}
    for i = 1, n do texts[i] = '"' .. sentences[math.random(1, #sentences)] .. '"' end
    return wrk.format("POST", "/v1/embed", { ["Content-Type"] = "application/json" },
        '{"texts": [' .. table.concat(texts, ", ") .. ']}')
end
function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
    local codes, non2xx = {}, 0
    for _, thread in ipairs(threads) do
        for code, count in pairs(thread:get("statuses")) do
            codes[code] = (codes[code] or 0) + count
            if code < 200 or code > 299 then non2xx = non2xx + count end
        end
    end
    local e = summary.errors
    io.write(string.format("RESULT requests %d\nRESULT duration_us %d\nRESULT non2xx %d\n", summary.requests, summary.duration, non2xx))
    io.write(string.format("RESULT socket_errors %d\nRESULT connect %d\nRESULT read %d\nRESULT write %d\nRESULT timeout %d\n",
        e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
    for _, p in ipairs({ 50, 90, 99, 99.9 }) do
        io.write(string.format("RESULT p%s_us %d\n", p, latency:percentile(p)))
    end
    io.write(string.format("RESULT mean_us %.0f\nRESULT max_us %d\n", latency.mean, latency.max))
    for code, count in pairs(codes) do io.write(string.format("RESULT code_%d %d\n", code, count)) end
end
LUA

# The training job: 12 pairs, 5 steps of 4 pairs on 1 thread.
python3 - >"$WORK/job.json" <<'PY'
import json
pairs = [
    ("How do I roll back a release?", "Rolling back restores the previous version."),
    ("What is a canary deployment?", "A canary sends a little traffic to the new version first."),
    ("Why did the analysis fail?", "The error rate rose above its threshold."),
    ("How long does training take?", "A few steps take a few seconds on the CPU."),
    ("Where are the adapters written?", "Each job writes its adapter to its output directory."),
    ("What does the queue do when full?", "It answers 429 with a Retry-After header."),
    ("Which model is the base?", "all-MiniLM-L6-v2 is the base encoder."),
    ("How are embeddings normalised?", "Mean pooling followed by L2 normalisation."),
    ("What is LoRA?", "Low-rank adapters added to frozen weights."),
    ("How is the service monitored?", "Prometheus scrapes its /metrics endpoint."),
    ("Can jobs be cancelled?", "DELETE on the job cancels it."),
    ("What port does it listen on?", "The port comes from the PORT variable."),
]
print(json.dumps({"max_steps": 5, "batch_size": 4, "threads": 1,
                  "pairs": [{"anchor": a, "positive": p} for a, p in pairs]}))
PY

# One warm-up request, which must succeed, then the unloaded latency: 1 client for 3 s.
curl -fsS -o /dev/null --max-time 30 -H 'Content-Type: application/json' \
    -d '{"texts": ["warm-up"]}' "$URL/v1/embed" || fail "the warm-up embed request failed"
log "unloaded embed latency: 1 client for 3 s ..."
wrk -t1 -c1 -d3s --timeout 10s -s "$WORK/embed.lua" "$URL" >"$WORK/wrk-unloaded.txt" 2>&1 \
    || { cat "$WORK/wrk-unloaded.txt" >&2; fail "wrk (unloaded) failed"; }

# One job a second, in the background, for DURATION seconds; each status code on a line.
post_jobs() {
    local i
    ((JOBS > 0)) || return 0
    for ((i = 0; i < DURATION; i++)); do
        curl -sS -o /dev/null -w '%{http_code}\n' --max-time 10 -H 'Content-Type: application/json' \
            --data-binary "@$WORK/job.json" "$URL/v1/jobs" >>"$WORK/jobs.txt" 2>>"$WORK/jobs.err" &
        sleep 1
    done
    wait
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "load: $CLIENTS embed clients and $( ((JOBS > 0)) && echo "1 job/s" || echo "no jobs") for $DURATION s (load $LOAD_START) ..."
: >"$WORK/jobs.txt"
post_jobs &
JOBS_PID=$!
wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/embed.lua" "$URL" >"$WORK/wrk.txt" 2>&1 \
    || { cat "$WORK/wrk.txt" >&2; fail "wrk failed"; }
wait "$JOBS_PID" || true
JOBS_PID=""
curl -fsS --max-time 10 "$URL/metrics" >"$WORK/metrics-end.txt" || fail "GET /metrics failed"

# Let the accepted jobs finish (bounded), so their outcomes are counted.
log "waiting up to $DRAIN s for the job queue to drain ..."
deadline=$((SECONDS + DRAIN))
while :; do
    curl -fsS --max-time 10 "$URL/metrics" >"$WORK/metrics.txt" || fail "GET /metrics failed"
    awk '/^lora_jobs_running |^lora_queue_depth / { busy += $2 } END { exit busy > 0 }' "$WORK/metrics.txt" && break
    ((SECONDS < deadline)) || { log "  the queue did not drain in $DRAIN s"; break; }
    sleep 1
done
DRAINED_AFTER=$((SECONDS - deadline + DRAIN))
PEAK_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
kill -0 "$SERVER_PID" 2>/dev/null || fail "lora-train serve died during the run"

python3 - "$WORK" "$COMMIT" "$(nproc)" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)" "$DURATION" "$CLIENTS" \
    "$PEAK_RSS_KB" "$DRAINED_AFTER" "$JOBS" <<'PY'
import datetime, os, re, sys

work, commit, cores, load_start, load_end, duration, clients, rss_kb, drained, jobs = sys.argv[1:]

def wrk_results(name):
    out = {}
    for line in open(os.path.join(work, name)):
        if line.startswith("RESULT "):
            _, key, value = line.split()
            out[key] = float(value)
    if "requests" not in out:
        sys.exit(f"FAIL: no results in {name}:\n" + open(os.path.join(work, name)).read())
    return out

def metrics(name):
    out = {}
    for line in open(os.path.join(work, name)):
        m = re.match(r'^(lora_[a-z_]+)(\{[^}]*\})? (\S+)$', line)
        if m:
            out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out

idle, load = wrk_results("wrk-unloaded.txt"), wrk_results("wrk.txt")
end, final = metrics("metrics-end.txt"), metrics("metrics.txt")
codes = [line.strip() for line in open(os.path.join(work, "jobs.txt")) if line.strip()]
submitted = int(duration) if int(jobs) > 0 else 0
accepted, rejected = codes.count("202"), codes.count("429")
other = len(codes) - accepted - rejected
missing = submitted - len(codes)
def outcome(m, name): return int(m.get(f'lora_jobs_total{{outcome="{name}"}}', 0))
embed_count = final.get('lora_http_request_duration_seconds_count{method="POST",route="/v1/embed"}', 0)
embed_sum = final.get('lora_http_request_duration_seconds_sum{method="POST",route="/v1/embed"}', 0)

rps = load["requests"] / (load["duration_us"] / 1e6)
errors = int(load["non2xx"] + load["socket_errors"])
failed = outcome(final, "failed")
p99 = load["p99_us"] / 1000
ms = lambda key, r=load: f"{r[key] / 1000:.1f}"
rows = [
    ("embed requests (2xx + other)", f"{int(load['requests'])}"),
    ("embed requests/s", f"{rps:.1f}"),
    ("embed latency p50 / p90 / p99 ms", f"{ms('p50_us')} / {ms('p90_us')} / {ms('p99_us')}"),
    ("embed latency p99.9 / max ms", f"{ms('p99.9_us')} / {ms('max_us')}"),
    ("embed non-2xx responses", f"{int(load['non2xx'])}"),
    ("socket errors (connect/read/write/timeout)",
     f"{int(load['socket_errors'])} ({int(load['connect'])}/{int(load['read'])}/{int(load['write'])}/{int(load['timeout'])})"),
    ("unloaded embed, 1 client: requests/s", f"{idle['requests'] / (idle['duration_us'] / 1e6):.1f}"),
    ("unloaded embed, 1 client: p50 / p99 ms", f"{ms('p50_us', idle)} / {ms('p99_us', idle)}"),
    ("server-side embed mean ms (all requests)", f"{1000 * embed_sum / embed_count:.1f}" if embed_count else "n/a"),
    ("jobs submitted / 202 / 429 / other", f"{submitted} / {accepted} / {rejected} / {other + missing}"),
    ("jobs succeeded / failed / cancelled, end of load",
     f"{outcome(end, 'succeeded')} / {outcome(end, 'failed')} / {outcome(end, 'cancelled')}"),
    (f"jobs succeeded / failed / cancelled, drained ({drained} s)",
     f"{outcome(final, 'succeeded')} / {failed} / {outcome(final, 'cancelled')}"),
    ("server peak RSS MiB (VmHWM)", f"{int(rss_kb) / 1024:.0f}"),
]
print(f"\n`lora-train serve` at {commit}, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
      f"{clients} wrk connections on 2 threads for {duration} s, {1 if int(jobs) > 0 else 0} job/s; {cores} cores, "
      f"load {load_start} before, {load_end} after\n")
width = max(len(r[0]) for r in rows)
print(f"| {'measure':<{width}} | {'value':>22} |")
print(f"|{'-' * (width + 2)}|{'-' * 23}:|")
for name, value in rows:
    print(f"| {name:<{width}} | {value:>22} |")
print()
print(f"{'PASS' if errors == 0 and failed == 0 and other + missing == 0 else 'FAIL'}: no errors "
      f"({errors} embed non-2xx or socket errors, {failed} failed jobs, {other + missing} job POSTs neither 202 nor 429)")
print(f"{'PASS' if p99 < 250 else 'FAIL'}: p99 embed latency under 250 ms ({p99:.1f} ms)")
PY
