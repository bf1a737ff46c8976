#!/usr/bin/env bash
# How fast Tack rolls back a bad canary: the time from the first failing request until 100% of
# traffic is back on the stable version in every account, over RUNS (20) rollouts of lora-train
# with 30% of requests failing, on the local runtime (runc, nginx, the embedded Prometheus
# scraping every 1 s) with a 1 s analysis interval. Reports median and p95 against the targets
# (median < 5 s, p95 < 10 s). It is a measurement: it exits 0 whatever the figures, 1 when the run
# itself broke. State lives in a mktemp -d directory, stopped and removed on exit.
#
# Usage: Benchmarks/rollback-time.sh            Environment: RUNS (default 20)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source "$ROOT/scripts/lib.sh"
ensure_packages "${TACK_BUILD_PACKAGES[@]}" "${TACK_TEST_PACKAGES[@]}"
ensure_swift
RUNS=${RUNS:-20}

echo "building tack (release) and staging the lora-train image ..." >&2
swift build -c release --product tack >&2
tack="$(swift build -c release --show-bin-path)/tack"
bash scripts/fetch-model.sh >&2
stage="$ROOT/.build-image/bench-stage"
bash manifests/images/lora-train/stage.sh "$stage" >/dev/null

home=$(mktemp -d "${TMPDIR:-/tmp}/tack-rollback-bench.XXXXXX")
cleanup() { "$tack" down --home "$home" >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT
"$tack" image import "$stage" --tag lora-train:v1 --home "$home" >/dev/null
# One tag per run, so each run's canary has its own version label and is judged on its own
# requests only (the same content, so the store keeps one copy).
for run in $(seq 1 "$RUNS"); do
    "$tack" image import "$stage" --tag "lora-train:bad$run" --env LORA_FAULT_ERROR_RATE=0.3 --home "$home" >/dev/null
done

cat >"$home/tack.yaml" <<'YAML'
accounts:
  - {name: aws-eu-central-1, kind: local, scope: aws}
  - {name: gcp-us-west1, kind: local, scope: gcp}
metricsAccounts:
  - {name: prometheus, kind: local}
YAML
pipeline() {
    cat <<YAML
application: rollback-bench
pipeline:
  stages:
    - type: deploy
      clusters:
        - account: aws-eu-central-1
          container: lora-train:$1
          targetSize: 2
          strategy: canary
          canary:
            steps: [{setWeight: 50}, {pause: 60s}]
        - account: gcp-us-west1
          container: lora-train:$1
          targetSize: 2
          strategy: canary
          canary:
            steps: [{setWeight: 50}, {pause: 60s}]
    - type: monitor
      metricsAccount: prometheus
      scopes: [aws, gcp]
      interval: 1s
      window: 5s
    - type: rollback
      trigger: automatic
      conditions: ["errorRate > 5%"]
YAML
}
pipeline v1 >"$home/v1.yaml"
echo "deploying v1 as the stable version ..." >&2
"$tack" run -f "$home/v1.yaml" --accounts "$home/tack.yaml" --home "$home" >/dev/null

echo "Rolling back a canary that fails 30% of requests, $RUNS times (scrape 1 s, analysis interval 1 s):"
python3 Benchmarks/rollback_time.py "$tack" "$home" "$RUNS" "$(pipeline 'bad{run}')"
