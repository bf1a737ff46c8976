#!/usr/bin/env bash
# Stages the lora-train runtime image's files into a root directory: the release binary (Swift's
# runtime linked in statically, so the runtime image needs only Debian's libopenblas, libcurl and
# libyaml), the image manifest, and the base model when it is present (baked in; otherwise mount
# it at /opt/lora-train/model). The Containerfile runs this script in its build stage; tests run
# the same script outside Docker, since no Docker engine runs here.
#
#   manifests/images/lora-train/stage.sh ROOT [--no-model]
set -euo pipefail

root="${1:?usage: stage.sh ROOT [--no-model]}"
bake_model=true
[[ "${2:-}" == "--no-model" ]] && bake_model=false

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repository"

echo "==> building lora-train (release, static Swift runtime)"
swift build -c release --product lora-train --static-swift-stdlib --scratch-path .build-image 2>&1 \
    | grep -E 'error|warning:|Compiling lora-train|Build' || true
binary="$(swift build -c release --scratch-path .build-image --show-bin-path)/lora-train"
[[ -x "$binary" ]] || { echo "error: the build produced no $binary" >&2; exit 1; }

mkdir -p "$root"
install -D -m 0755 "$binary" "$root/opt/lora-train/bin/lora-train"
install -D -m 0644 manifests/images/lora-train/image.json "$root/etc/lora-train/image.json"
if $bake_model && [[ -f models/all-MiniLM-L6-v2/model.safetensors ]]; then
    mkdir -p "$root/opt/lora-train/model"
    cp models/all-MiniLM-L6-v2/{config.json,model.safetensors,vocab.txt} "$root/opt/lora-train/model/"
    echo "==> baked all-MiniLM-L6-v2 into /opt/lora-train/model"
fi
echo "==> staged into $root:"
find "$root" -type f | sed "s|^$root||" | sort
