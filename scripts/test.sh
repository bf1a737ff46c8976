#!/usr/bin/env bash
# Runs every test: unit and fixture tests, the command-line tests, and the example pipelines.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd_repository
ensure_packages "${TACK_BUILD_PACKAGES[@]}" "${TACK_TEST_PACKAGES[@]}" "${TACK_BROWSER_TEST_PACKAGES[@]}"
ensure_python_packages "$TACK_TEST_PYTHON_REQUIREMENTS"
ensure_swift

# The tests' servers listen on loopback; a proxy from the environment must not sit in between.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "==> swift build (warnings are errors)"
swift build --build-tests 2>&1 | tee "$log" | grep -E 'error|warning:' || true
grep -q 'error:' "$log" && exit 1

echo "==> the base model for the trainer's reference tests"
bash scripts/fetch-model.sh

# Separate phases: the trainer's tests keep both cores busy with OpenBLAS, which would starve the
# timing checks of the HTTP and Prometheus tests if they ran side by side.
status=0
run_tests() {
    echo "==> swift test $*"
    set +e
    swift test --skip-build --disable-xctest "$@" 2>&1 | tee -a "$log" | grep -Ev '^(◇|↳)|^✔ (Test|Suite) "'
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    set -e
}
trainer='LoRATests|LoRATrainCLITests|LoRAServiceTests'
# The kill-and-restart test starts about a hundred tack processes and their runc replicas; on its
# own phase it neither starves the others' timing checks nor is starved by them.
heavy='KillRestartTests'
run_tests --skip "$trainer|$heavy"
run_tests --filter "$heavy"
run_tests --filter "$trainer"

echo "==> the lora-train image: staged as its Containerfile does and run as uid 65532"
stage="$PWD/.build-image/stage"
LORA_IMAGE_STAGE="$stage" bash manifests/images/lora-train/smoke-test.sh || status=1

echo "==> the lora-train image as a replica of the local runtime (runc, nginx, Prometheus)"
TACK_LORA_IMAGE_ROOT="$stage" run_tests --filter 'LoRAImageRuntime'

echo "==> the web page in Chromium against a controller on the local runtime"
set +e
bash scripts/test-browser.sh --tack "$(swift build --show-bin-path)/tack" --stage "$stage" 2>&1 | tee -a "$log"
browser=${PIPESTATUS[0]}
set -e
if [[ $browser -eq 0 ]]; then echo "browser test passed" >>"$log"; else status=1; echo "browser test failed" >>"$log"; fi

echo "==> tack validate pipelines/*.yaml"
"$(swift build --show-bin-path)/tack" validate pipelines/*.yaml

# The closing count, read off Swift Testing's own summary.
total=0
for count in $(grep -Eo 'Test run with [0-9]+ tests?' "$log" | grep -Eo '[0-9]+'); do total=$(( total + count )); done
failed=$(grep -E '^✘ Test .* failed after|^browser test failed' "$log" | grep -vc '^✘ Test run with' || true)
total=$(( total + $(grep -Ec '^browser test (passed|failed)' "$log" || true) ))
echo "tests: $(( total - failed )) passed, ${failed} failed"
exit "$status"
