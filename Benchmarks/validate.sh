#!/usr/bin/env bash
# Benchmarks `tack validate` on a large valid pipeline and on hostile inputs, and checks targets:
#   - the ~1 MB pipeline validates (exit 0) in under 200 ms median;
#   - every hostile input is rejected (exit 1, an error line naming the limit it breaks) in
#     under 1 s median and under 200 MiB peak RSS.
# References measured in the same run: `tack validate` on pipelines/lora-training-platform.yaml
# (process start-up cost; every time is also printed as a ratio of it) and PyYAML's safe_load on
# the 1 MB file. Exits 1 when any target fails. See Benchmarks/README.md.
#
# Environment: RUNS (timed runs per input, at least 10; default 10), WARMUP (default 2),
# BENCH_FALLBACK=1 to time with the python loop and python's getrusage even when hyperfine and
# GNU time are there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
(( RUNS >= 10 )) || RUNS=10
LARGE_TARGET_MS=200
HOSTILE_TARGET_MS=1000
RSS_TARGET_KB=$((200 * 1024))
RSS_RUNS=3

log() { printf '%s\n' "$*" >&2; }

# Installs a Debian package when its tool is missing and we are root; never fails.
ensure() { # CHECK-COMMAND PACKAGE
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing $2 ..."
        apt-get install -y -qq "$2" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$2" >/dev/null 2>&1; } || true
    fi
    eval "$1" >/dev/null 2>&1
}

HAVE_HYPERFINE=0
HAVE_GNU_TIME=0
if [[ ${BENCH_FALLBACK:-0} != 1 ]]; then
    ensure 'command -v hyperfine' hyperfine && HAVE_HYPERFINE=1
    ensure '[[ -x /usr/bin/time ]] && /usr/bin/time -f %M true' time && HAVE_GNU_TIME=1
fi

log "building tack (release) ..."
swift build -c release --product tack >&2
# What was built, for the table's heading.
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then COMMIT+=" with local changes to Sources"; fi
TACK="$(swift build -c release --product tack --show-bin-path)/tack"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tack-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log "generating inputs in $WORK ..."
python3 "$ROOT/Benchmarks/make-inputs.py" "$WORK" >"$WORK/sizes.tsv"
ACCOUNTS="$WORK/accounts.yaml"

# --- measuring -----------------------------------------------------------------------------

# Prints "MEDIAN_S MAX_S" of RUNS runs of the command (after WARMUP runs), output discarded.
time_command() {
    if (( HAVE_HYPERFINE )); then
        local words=() arg
        for arg in "$@"; do words+=("$(printf '%q' "$arg")"); done
        hyperfine -N -i --style none --warmup "$WARMUP" --runs "$RUNS" \
            --export-json "$WORK/hyperfine.json" -- "${words[*]}" >"$WORK/hyperfine.log" 2>&1 || {
            cat "$WORK/hyperfine.log" >&2
            return 1
        }
        python3 -c 'import json, statistics, sys
t = json.load(open(sys.argv[1]))["results"][0]["times"]
print(statistics.median(t), max(t))' "$WORK/hyperfine.json"
    else
        python3 - "$WARMUP" "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
warmup, runs, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
times = []
for i in range(warmup + runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if i >= warmup:
        times.append(time.perf_counter() - start)
print(statistics.median(times), max(times))
PY
    fi
}

# Prints the largest peak RSS (KiB) of RSS_RUNS runs of the command.
peak_rss() {
    local best=0 kb i
    for ((i = 0; i < RSS_RUNS; i++)); do
        if (( HAVE_GNU_TIME )); then
            /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
            kb=$(tail -n 1 "$WORK/rss")
        else
            kb=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
        fi
        (( kb > best )) && best=$kb
    done
    echo "$best"
}

size_of() { wc -c <"$1" | tr -d ' '; }

# Results, one row each: NAME BYTES EXIT MEDIAN_S MAX_S RSS_KB TARGET RESULT
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
FAILS=0
START_S=""

record() { # NAME BYTES EXIT MEDIAN MAX RSS TARGET RESULT
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
    [[ $8 == FAIL ]] && FAILS=$((FAILS + 1))
    log "$(printf '  %-26s exit %-2s median %8.1f ms  max %8.1f ms  rss %6.1f MiB  %s %s' \
        "$1" "$3" "$(ms "$4")" "$(ms "$5")" "$(awk -v k="$6" 'BEGIN{print k/1024}')" "$8" "$7")"
}

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# --- references ----------------------------------------------------------------------------

log "timing (hyperfine: $HAVE_HYPERFINE, GNU time: $HAVE_GNU_TIME, runs: $RUNS, warmup: $WARMUP; load: $(cut -d' ' -f1-3 /proc/loadavg))"
EXAMPLE=pipelines/lora-training-platform.yaml
set +e; "$TACK" validate --accounts pipelines/tack.yaml "$EXAMPLE" >/dev/null 2>"$WORK/err"; rc=$?; set -e
t=$(time_command "$TACK" validate --accounts pipelines/tack.yaml "$EXAMPLE")
read -r med max <<<"$t"
START_S=$med
result=PASS
if (( rc != 0 )); then result=FAIL; cat "$WORK/err" >&2; fi
record "start-up (lora example)" "$(size_of "$EXAMPLE")" "$rc" "$med" "$max" \
    "$(peak_rss "$TACK" validate --accounts pipelines/tack.yaml "$EXAMPLE")" "reference; valid" "$result"

# --- the large valid pipeline --------------------------------------------------------------

LARGE="$WORK/large-pipeline.yaml"
set +e; "$TACK" validate --accounts "$ACCOUNTS" "$LARGE" >/dev/null 2>"$WORK/err"; rc=$?; set -e
if (( rc != 0 )); then
    log "FAIL: tack validate rejects the generated 1 MB pipeline (exit $rc):"
    head -n 20 "$WORK/err" >&2
fi
t=$(time_command "$TACK" validate --accounts "$ACCOUNTS" "$LARGE")
read -r med max <<<"$t"
result=PASS
if (( rc != 0 )) || ! below "$(ms "$med")" "$LARGE_TARGET_MS"; then result=FAIL; fi
record "1 MB pipeline" "$(size_of "$LARGE")" "$rc" "$med" "$max" \
    "$(peak_rss "$TACK" validate --accounts "$ACCOUNTS" "$LARGE")" "valid, median < ${LARGE_TARGET_MS} ms" "$result"

if python3 -c 'import yaml' >/dev/null 2>&1; then
    t=$(time_command python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$LARGE")
    read -r med max <<<"$t"
    record "PyYAML safe_load 1 MB" "$(size_of "$LARGE")" 0 "$med" "$max" \
        "$(peak_rss python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$LARGE")" "reference parser" INFO
    if python3 -c 'import yaml; yaml.CSafeLoader' >/dev/null 2>&1; then
        t=$(time_command python3 -c 'import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)' "$LARGE")
        read -r med max <<<"$t"
        record "PyYAML CSafeLoader 1 MB" "$(size_of "$LARGE")" 0 "$med" "$max" \
            "$(peak_rss python3 -c 'import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)' "$LARGE")" \
            "reference (libyaml)" INFO
    fi
else
    log "  PyYAML is not importable: reference parser skipped"
fi

# --- hostile inputs ------------------------------------------------------------------------

# NAME FILE REGEX: the error line naming the limit the input breaks.
hostile() {
    local name=$1 file=$2 regex=$3 rc med max rss result=PASS why=""
    set +e; "$TACK" validate --accounts "$ACCOUNTS" "$file" >/dev/null 2>"$WORK/err"; rc=$?; set -e
    t=$(time_command "$TACK" validate --accounts "$ACCOUNTS" "$file")
    read -r med max <<<"$t"
    rss=$(peak_rss "$TACK" validate --accounts "$ACCOUNTS" "$file")
    if (( rc != 1 )); then result=FAIL; why+=" exit $rc, not 1;"; fi
    if ! grep -Eq "error: .*($regex)" "$WORK/err"; then result=FAIL; why+=" no error naming the limit;"; fi
    if ! below "$(ms "$med")" "$HOSTILE_TARGET_MS"; then result=FAIL; why+=" too slow;"; fi
    if (( rss >= RSS_TARGET_KB )); then result=FAIL; why+=" too much memory;"; fi
    log "    $({ grep -Em1 "error: .*($regex)" "$WORK/err" || grep -Em1 "error: " "$WORK/err" || true; } | cut -c1-160 | sed "s|$WORK/||")"
    [[ -n $why ]] && log "    FAIL:$why"
    record "$name" "$(size_of "$file")" "$rc" "$med" "$max" "$rss" "exit 1, < 1 s, < 200 MiB" "$result"
}

hostile "billion laughs (9x10)" "$WORK/billion-laughs.yaml" "more than [0-9,]+ nodes"
hostile "nesting 100k, flow" "$WORK/deep-flow.yaml" "deeper than [0-9]+ levels"
hostile "nesting 100k, block" "$WORK/deep-block.yaml" "deeper than [0-9]+ levels"
hostile "50 MiB file" "$WORK/huge-50mb.yaml" "[0-9]+ bytes"
hostile "3.9 MB flow mapping" "$WORK/flow-mapping-3.9mb.yaml" "more than [0-9,]+ nodes"
hostile "1,000,000 keys" "$WORK/million-keys.yaml" "more than [0-9,]+ nodes"
hostile "3.9 MB of unknown keys" "$WORK/unknown-keys-3.9mb.yaml" "too many errors"
hostile "3 MB account name" "$WORK/long-name.yaml" "not in the accounts file"

# --- table ---------------------------------------------------------------------------------

printf '\n`tack validate` at %s, %s; %s timed runs after %s warm-up (%s), peak RSS the largest of %s runs (%s); %s cores, load %s\n\n' \
    "$COMMIT" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$RUNS" "$WARMUP" "$( ((HAVE_HYPERFINE)) && echo hyperfine || echo python loop)" \
    "$RSS_RUNS" "$( ((HAVE_GNU_TIME)) && echo GNU time || echo getrusage)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-25s | %10s | %4s | %10s | %10s | %10s | %8s | %-26s | %-6s |\n' \
    input bytes exit "median ms" "max ms" "x start-up" "RSS MiB" target result
echo '|---------------------------|-----------:|-----:|-----------:|-----------:|-----------:|---------:|----------------------------|--------|'
while IFS=$'\t' read -r name bytes rc med max rss target result; do
    printf '| %-25s | %10s | %4s | %10s | %10s | %10s | %8s | %-26s | %-6s |\n' "$name" "$bytes" "$rc" \
        "$(ms "$med")" "$(ms "$max")" "$(awk -v a="$med" -v b="$START_S" 'BEGIN { printf "%.1f", a / b }')" \
        "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$target" "$result"
done <"$RESULTS"
echo
if (( FAILS > 0 )); then
    echo "$FAILS target(s) FAIL"
    exit 1
fi
echo "all targets PASS"
