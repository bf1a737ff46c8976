#!/usr/bin/env bash
# The main job: builds tack, validates every example pipeline and shows the plan of each.
# (Later issues turn this into the full local demo: apply, watch the canary, see the rollback.)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd_repository
ensure_packages "${TACK_BUILD_PACKAGES[@]}"
ensure_swift

echo "==> Building tack"
swift build --product tack 2>&1 | grep -Ev '^(Building|Compiling|Write|Linking|Emitting|\[)' || true
tack="$(swift build --show-bin-path)/tack"

echo "==> tack validate pipelines/*.yaml"
"$tack" validate pipelines/*.yaml

for pipeline in pipelines/lora-training-platform.yaml pipelines/local-demo.yaml; do
  echo
  echo "==> tack plan $pipeline"
  "$tack" plan "$pipeline"
done
