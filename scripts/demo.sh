#!/usr/bin/env bash
# The main job: the local demo. Two local accounts named like two clouds (a canary in
# aws-eu-central-1, blue-green in gcp-us-west1), nginx, the embedded Prometheus and the trainer
# service lora-train v1 as the stable version, with a bounded load of embed and job requests.
# Then it applies v2 (healthy: promoted everywhere) and v3 (30% of requests fail: rolled back
# by itself), showing `tack watch` for each, and stops everything at the end.
#
# State goes to .tack-demo/ (removed at the start of the next run). Set DEMO_KEEP=1 to leave the
# runtime and the controller running at the end (stop them with: tack down --home .tack-demo).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd_repository
ensure_packages "${TACK_BUILD_PACKAGES[@]}" "${TACK_TEST_PACKAGES[@]}"
ensure_swift

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building tack (release)"
swift build -c release --product tack 2>&1 | { grep -Ev '^(Building|Compiling|Write|Linking|Emitting|\[)' || true; }
tack="$(swift build -c release --show-bin-path)/tack"

step "The model and the lora-train image (built as its Containerfile does, without Docker)"
bash scripts/fetch-model.sh
stage="$PWD/.build-image/demo-stage"
bash manifests/images/lora-train/stage.sh "$stage" >/dev/null

export TACK_HOME="$PWD/.tack-demo"
[[ -d "$TACK_HOME" ]] && { "$tack" down >/dev/null 2>&1 || true; rm -rf "$TACK_HOME"; }
mkdir -p "$TACK_HOME/pipelines"

controller=""
load=""
cleanup() {
    set +e
    [[ -n "$load" ]] && kill "$load" 2>/dev/null
    if [[ "${DEMO_KEEP:-0}" != 1 ]]; then
        [[ -n "$controller" ]] && { kill -TERM "$controller" 2>/dev/null; wait "$controller" 2>/dev/null; }
        "$tack" down >/dev/null 2>&1
        echo "Stopped the controller, the replicas, nginx and Prometheus."
    fi
}
trap cleanup EXIT

step "Three versions of lora-train in the local image store"
"$tack" image import "$stage" --tag lora-train:v1 --env LORA_RELEASE=v1
"$tack" image import "$stage" --tag lora-train:v2 --env LORA_RELEASE=v2
"$tack" image import "$stage" --tag lora-train:v3 --env LORA_RELEASE=v3 --env LORA_FAULT_ERROR_RATE=0.3
"$tack" image ls

# One pipeline per version, from pipelines/local-demo.yaml, with its accounts file beside it.
cp pipelines/tack.yaml "$TACK_HOME/pipelines/tack.yaml"
for version in v1 v2 v3; do
    sed "s/lora-train:v2/lora-train:$version/" pipelines/local-demo.yaml >"$TACK_HOME/pipelines/$version.yaml"
done

step "tack controller (the engine, the API and the runtime's supervisor), in the background"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export TACK_CONTROLLER="http://127.0.0.1:$port"
"$tack" controller --listen "127.0.0.1:$port" >"$TACK_HOME/controller.log" 2>&1 &
controller=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null --max-time 1 "$TACK_CONTROLLER/readyz" 2>/dev/null && break
    kill -0 "$controller" 2>/dev/null || { cat "$TACK_HOME/controller.log" >&2; exit 1; }
    sleep 0.2
done
echo "controller: $TACK_CONTROLLER (log $TACK_HOME/controller.log)"
echo "web page:   $TACK_CONTROLLER/ (sign in from another terminal with: TACK_CONTROLLER=$TACK_CONTROLLER $tack dashboard --home $TACK_HOME)"

step "v1 is the first version: it becomes stable in both accounts at once"
"$tack" apply -f "$TACK_HOME/pipelines/v1.yaml" --watch

step "Load: embed requests to every listener, a small training job every 20 s"
python3 scripts/loadgen.py --home "$TACK_HOME" --app lora-demo --duration 900 --clients 2 --job-every 20 \
    >"$TACK_HOME/load.log" 2>&1 &
load=$!
sleep 5

step "v2 is healthy: canary in aws-eu-central-1, blue-green in gcp-us-west1, both promoted"
status=0
"$tack" apply -f "$TACK_HOME/pipelines/v2.yaml" --watch || status=$?
[[ $status -eq 0 ]] || { echo "error: v2 was not promoted (exit $status)" >&2; exit 1; }

step "v3 answers 30% of requests with 500: Tack rolls every account back by itself"
status=0
"$tack" apply -f "$TACK_HOME/pipelines/v3.yaml" --watch || status=$?
[[ $status -eq 2 ]] || { echo "error: v3 was not rolled back (exit $status)" >&2; exit 1; }

step "What runs now, and the history"
"$tack" status
"$tack" history lora-demo
echo
echo "Load during the demo (last lines of $TACK_HOME/load.log):"
tail -n 6 "$TACK_HOME/load.log"
