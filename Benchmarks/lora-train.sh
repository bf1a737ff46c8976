#!/usr/bin/env bash
# Benchmarks LoRA training and embedding on all-MiniLM-L6-v2: `lora-train benchmark` (Tack, on
# OpenBLAS) against the same measurement in PyTorch + PEFT (Benchmarks/lora_train_torch.py), on the
# same synthetic batch (8 sequences x 128 tokens), rank 8 on query,value.
#
# Runs Tack and PyTorch alternately, ROUNDS times each with THREADS threads, then once each with 1
# thread; prints one table: train and embed tokens/s, peak RSS and their ratio Tack/PyTorch, each
# side's sgemm GFLOP/s, the matmul ceiling in tokens/s and the share of it reached, and the thread
# scaling. Rates are the best over the rounds, peak RSS the largest. Exits 1 when a run fails or
# when the two sides did not see the same batch (ids or first loss differ). See Benchmarks/README.md.
#
# Usage: Benchmarks/lora-train.sh [--quick]     (--quick: 1 round of 5 steps after 1 warm-up)
# Environment: ROUNDS (default 2), STEPS (20), WARMUP (3), THREADS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-2}
STEPS=${STEPS:-20}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-2}
for arg in "$@"; do
    case $arg in
        --quick) ROUNDS=1 STEPS=5 WARMUP=1 ;;
        -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument $arg (usage: $0 [--quick])" >&2; exit 64 ;;
    esac
done
MODEL="$ROOT/models/all-MiniLM-L6-v2"
VENV="$ROOT/.venv-torch"

log() { printf '%s\n' "$*" >&2; }

log "building lora-train (release) ..."
swift build -c release --product lora-train >&2
LORA_TRAIN="$(swift build -c release --product lora-train --show-bin-path)/lora-train"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then COMMIT+=" with local changes to Sources"; fi

"$ROOT/scripts/fetch-model.sh" >&2

if [[ ! -x $VENV/bin/python ]]; then
    log "creating $VENV with torch, transformers and peft ..."
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet torch transformers peft >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lora-train-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run NAME THREADS STEPS WARMUP: one measurement, its JSON in $WORK/NAME.json; exits on failure.
run() {
    local name=$1 threads=$2 steps=$3 warmup=$4 command
    if [[ $name == tack* ]]; then
        command=("$LORA_TRAIN" benchmark -o json)
    else
        command=("$VENV/bin/python" "$ROOT/Benchmarks/lora_train_torch.py")
    fi
    command+=(--model "$MODEL" --threads "$threads" --steps "$steps" --warmup "$warmup")
    log "  $name: $threads thread(s), $steps steps after $warmup warm-up (load $(cut -d' ' -f1 /proc/loadavg))"
    if ! "${command[@]}" >"$WORK/$name.json" 2>"$WORK/$name.err"; then
        log "FAIL: $name: ${command[*]}"
        tail -n 20 "$WORK/$name.err" >&2
        exit 1
    fi
    python3 - "$WORK/$name.json" <<'PY' >&2
import json, sys
r = json.load(open(sys.argv[1]))
print(f"    train {r['train_tokens_per_second']:.0f} tokens/s, embed {r['embed_tokens_per_second']:.0f} tokens/s, "
      f"peak RSS {r['peak_rss_bytes'] / 2**20:.0f} MiB")
PY
}

log "measuring (load $(cut -d' ' -f1-3 /proc/loadavg)) ..."
for ((round = 1; round <= ROUNDS; round++)); do
    run "tack-$THREADS-$round" "$THREADS" "$STEPS" "$WARMUP"
    run "torch-$THREADS-$round" "$THREADS" "$STEPS" "$WARMUP"
done
if (( THREADS != 1 )); then
    # Thread scaling: one round at 1 thread, fewer steps (it takes twice as long).
    run tack-1-1 1 $(( (STEPS + 1) / 2 )) "$WARMUP"
    run torch-1-1 1 $(( (STEPS + 1) / 2 )) "$WARMUP"
fi

python3 - "$WORK" "$THREADS" "$COMMIT" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$STEPS" "$WARMUP" "$ROUNDS" <<'PY'
import datetime, glob, json, os, sys

work, threads, commit, cores, load, steps, warmup, rounds = sys.argv[1:]
threads = int(threads)

def runs(side, count):
    return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(work, f"{side}-{count}-*.json")))]

def best(results, key):
    return max(r[key] for r in results)

tack, torch = runs("tack", threads), runs("torch", threads)
failures = []
ids = {r["batch_id_sum"] for r in tack + torch}
if len(ids) != 1:
    failures.append(f"the two sides built different batches (id sums {sorted(ids)})")
first = [r["first_loss"] for r in tack + torch]
if max(first) - min(first) > 1e-3 * max(abs(x) for x in first):
    failures.append(f"the first-step losses differ: {first}")

t, p = tack[0], torch[0]
flop = t["train_flop_per_token"]
embed_flop = t["embed_flop_per_token"]
rows = []
def row(name, tack_value, torch_value, fmt, ratio=True):
    r = f"{tack_value / torch_value:.2f}" if ratio and torch_value else ""
    rows.append((name, fmt.format(tack_value), fmt.format(torch_value), r))

train = (best(tack, "train_tokens_per_second"), best(torch, "train_tokens_per_second"))
embed = (best(tack, "embed_tokens_per_second"), best(torch, "embed_tokens_per_second"))
row(f"train tokens/s, {threads} threads", *train, "{:.0f}")
row("train step median s", min(r["train_step_median_seconds"] for r in tack),
    min(r["train_step_median_seconds"] for r in torch), "{:.3f}")
row(f"embed tokens/s, {threads} threads", *embed, "{:.0f}")
row("peak RSS MiB", max(r["peak_rss_bytes"] for r in tack) / 2**20, max(r["peak_rss_bytes"] for r in torch) / 2**20, "{:.0f}")
row("  of which before loading the model MiB", max(r["startup_rss_bytes"] for r in tack) / 2**20,
    max(r["startup_rss_bytes"] for r in torch) / 2**20, "{:.0f}")
square = (best(tack, "sgemm_square_gflop_per_second"), best(torch, "sgemm_square_gflop_per_second"))
shaped = (best(tack, "sgemm_model_gflop_per_second"), best(torch, "sgemm_model_gflop_per_second"))
row("sgemm GFLOP/s, 1024^3", *square, "{:.1f}")
row(f"sgemm GFLOP/s, {t['sgemm_model_shape']}", *shaped, "{:.1f}")
ceiling = (shaped[0] * 1e9 / flop, shaped[1] * 1e9 / flop)
row("train ceiling tokens/s (model sgemm / FLOP)", *ceiling, "{:.0f}")
row("train share of own ceiling %", 100 * train[0] / ceiling[0], 100 * train[1] / ceiling[1], "{:.1f}", ratio=False)
row("train share of OpenBLAS ceiling %", 100 * train[0] / ceiling[0], 100 * train[1] / ceiling[0], "{:.1f}", ratio=False)
embed_ceiling = (shaped[0] * 1e9 / embed_flop, shaped[1] * 1e9 / embed_flop)
row("embed share of own ceiling %", 100 * embed[0] / embed_ceiling[0], 100 * embed[1] / embed_ceiling[1], "{:.1f}", ratio=False)
single_tack, single_torch = runs("tack", 1), runs("torch", 1)
if threads != 1 and single_tack and single_torch:
    one = (best(single_tack, "train_tokens_per_second"), best(single_torch, "train_tokens_per_second"))
    row("train tokens/s, 1 thread", *one, "{:.0f}")
    row(f"train speed-up 1 -> {threads} threads", train[0] / one[0], train[1] / one[1], "{:.2f}", ratio=False)
    one_embed = (best(single_tack, "embed_tokens_per_second"), best(single_torch, "embed_tokens_per_second"))
    row("embed tokens/s, 1 thread", *one_embed, "{:.0f}")
    row("sgemm GFLOP/s model shape, 1 thread", best(single_tack, "sgemm_model_gflop_per_second"),
        best(single_torch, "sgemm_model_gflop_per_second"), "{:.1f}")
row("first-step loss (parity check)", t["first_loss"], p["first_loss"], "{:.6f}", ratio=False)

versions = p.get("versions", {})
print(f"\n`lora-train benchmark` at {commit}, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}; "
      f"{t['sequences']} sequences x {t['length']} tokens, rank {t['rank']} on {','.join(t['targets'])}; "
      f"best of {rounds} round(s) of {steps} steps after {warmup} warm-up; PyTorch {versions.get('torch')}, "
      f"transformers {versions.get('transformers')}, PEFT {versions.get('peft')} ({p.get('attention_implementation')} attention); "
      f"Tack's frozen-weight products on {t.get('frozen_products', 'OpenBLAS')}; {cores} cores, load {load}\n")
width = max(len(r[0]) for r in rows)
print(f"| {'measure':<{width}} | {'Tack':>10} | {'PyTorch':>10} | {'Tack/PyTorch':>12} |")
print(f"|{'-' * (width + 2)}|{'-' * 11}:|{'-' * 11}:|{'-' * 13}:|")
for name, a, b, r in rows:
    print(f"| {name:<{width}} | {a:>10} | {b:>10} | {r:>12} |")
print(f"\nFLOP per token (matrix products only): train {flop / 1e6:.2f} M, embed {embed_flop / 1e6:.2f} M; {t['flop_formula']}")
print("Each side's ceiling uses its own sgemm at the model shape (Tack: OpenBLAS cblas_sgemm; PyTorch: torch.mm).")
if t.get("frozen_products") == "panels":
    print("Tack multiplies by the frozen weights with its own kernel, reading them in panels laid out once at load instead "
          "of the copy sgemm makes of both operands on every call, so its share of the sgemm ceiling can come near 100 %.")
if failures:
    for failure in failures:
        print(f"FAIL: {failure}")
    sys.exit(1)
PY
