#!/usr/bin/env bash
# The web page's browser test: Debian's Chromium and chromium-driver, driven by Selenium, against a
# real `tack controller` on the local runtime with the demo's load (Tests/Browser/dashboard_test.py).
# Builds tack and stages the lora-train image unless given them. The test itself takes about 90 s.
#
#   scripts/test-browser.sh [--tack PATH] [--stage DIR] [--screenshots DIR] [--keep]
#
# --screenshots Docs/images writes Docs/images/dashboard-canary.png and dashboard-rollback.png.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd_repository

tack=""
stage=""
passed=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tack) tack="$(realpath "${2:?--tack needs a path}")"; shift 2 ;;
        --stage) stage="$(realpath "${2:?--stage needs a directory}")"; shift 2 ;;
        --screenshots) passed+=(--screenshots "$(realpath -m "${2:?--screenshots needs a directory}")"); shift 2 ;;
        --keep) passed+=(--keep); shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
    esac
done

ensure_packages "${TACK_BUILD_PACKAGES[@]}" "${TACK_TEST_PACKAGES[@]}" "${TACK_BROWSER_TEST_PACKAGES[@]}"
ensure_python_packages "$TACK_TEST_PYTHON_REQUIREMENTS"

# The controller and the replicas listen on loopback; a proxy from the environment must not sit in between.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"

if [[ -z "$tack" ]]; then
    ensure_swift
    echo "==> swift build --product tack"
    swift build --product tack 2>&1 | { grep -E 'error|warning:' || true; }
    tack="$(swift build --show-bin-path)/tack"
fi
[[ -x "$tack" ]] || { echo "error: no tack binary at $tack" >&2; exit 1; }

if [[ -z "$stage" ]]; then
    ensure_swift
    echo "==> the lora-train image, staged as its Containerfile does"
    bash scripts/fetch-model.sh
    stage="$PWD/.build-image/browser-stage"
    bash manifests/images/lora-train/stage.sh "$stage" >/dev/null
fi
[[ -f "$stage/etc/lora-train/image.json" ]] || { echo "error: $stage is not a staged lora-train image root" >&2; exit 1; }

exec python3 Tests/Browser/dashboard_test.py --tack "$tack" --stage "$stage" "${passed[@]}"
