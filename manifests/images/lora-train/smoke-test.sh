#!/usr/bin/env bash
# Builds the lora-train image's files with stage.sh (outside Docker) and runs them the way the
# image does: as uid 65532 (when run as root), from a root directory it cannot write, with only
# the state volume writable. Checks readiness, an embedding, a training job, a clean SIGTERM,
# the shared libraries the runtime image must provide, and that nothing was written outside the volume.
# With LORA_IMAGE_STAGE=DIR the staged root is built in DIR and kept (scripts/test.sh then runs the
# local runtime's test of the image on it).
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
    [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

root="${LORA_IMAGE_STAGE:-$work/root}"
[[ -n "${LORA_IMAGE_STAGE:-}" ]] && rm -rf "$root"
volume="$work/var-lib-lora-train"
bash "$repository/manifests/images/lora-train/stage.sh" "$root"
[[ -f "$root/opt/lora-train/model/model.safetensors" ]] || { echo "error: no model baked in; run scripts/fetch-model.sh" >&2; exit 1; }

echo "==> shared libraries the runtime image must carry"
libraries="$(ldd "$root/opt/lora-train/bin/lora-train")"
echo "$libraries" | sed 's/^/    /'
if grep -q "not found" <<<"$libraries"; then echo "error: a library is missing" >&2; exit 1; fi
if grep -q "libswift\|libFoundation" <<<"$libraries"; then echo "error: the Swift runtime is linked dynamically" >&2; exit 1; fi

mkdir -p "$volume"
run_as=()
if [[ $(id -u) -eq 0 ]]; then
    chown -R 0:0 "$root" && chmod -R a-w "$root"
    chown 65532:65532 "$volume"
    chmod 0755 "$work"
    run_as=(setpriv --reuid=65532 --regid=65532 --clear-groups)
fi
touch "$work/before"
log="$work/serve.log"
(cd "$root" && PORT=0 exec "${run_as[@]}" "$root/opt/lora-train/bin/lora-train" serve --model "$root/opt/lora-train/model" \
    --state-dir "$volume/state" --output-dir "$volume/output" --data-dir "$volume/data") 2>"$log" &
server=$!
port=""
for _ in $(seq 1 300); do
    port="$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/.*://')" || true
    [[ -n "$port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "error: lora-train serve exited" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$port" ]] || { cat "$log" >&2; echo "error: lora-train serve did not start" >&2; exit 1; }
echo "==> serving on port $port as uid $(stat -c %u /proc/$server 2>/dev/null || echo '?')"

python3 - "$port" <<'PYTHON'
import json, sys, time, urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read() or b"null")

assert call("GET", "/readyz")[0] == 200
status, answer = call("POST", "/v1/embed", {"texts": ["how do I reset my password?"]})
assert status == 200 and answer["dimensions"] == 384, answer
pairs = [{"anchor": f"question {i}", "positive": f"answer {i}"} for i in range(8)]
status, job = call("POST", "/v1/jobs", {"max_steps": 2, "batch_size": 4, "max_seq_length": 16, "threads": 1, "pairs": pairs})
assert status == 202, job
for _ in range(600):
    _, job = call("GET", f"/v1/jobs/{job['id']}")
    if job["state"] in ("succeeded", "failed", "cancelled"):
        break
    time.sleep(0.1)
assert job["state"] == "succeeded", job
print(f"    readyz 200; embed 384 dimensions; job {job['id']} succeeded in {job['progress']['step']} steps")
PYTHON

kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
[[ $status -eq 0 ]] || { cat "$log" >&2; echo "error: SIGTERM ended lora-train with status $status" >&2; exit 1; }
echo "==> SIGTERM: exit 0"

written="$(find "$work" "$root" -newer "$work/before" -type f ! -path "$volume/*" ! -path "$log")"
[[ -z "$written" ]] || { echo "error: files written outside the volume:" >&2; echo "$written" >&2; exit 1; }
echo "==> nothing written outside /var/lib/lora-train; the image's files work as the Containerfile runs them"
