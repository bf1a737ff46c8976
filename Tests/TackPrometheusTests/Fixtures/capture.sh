#!/usr/bin/env bash
# Captures real Prometheus query API bodies into this folder (the *.json fixtures the unit tests
# decode): starts exporter.py and /usr/bin/prometheus on 127.0.0.1 with 1 s scrapes, gives the
# canary traffic (10% errors, a known latency mix) and the stable track none, then POSTs form-encoded
# queries with curl, checking each answer's HTTP status. proxy-502.html is written by hand.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
exporter_pid="" prometheus_pid=""
cleanup() {
  for pid in $prometheus_pid $exporter_pid; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/exporter.py" --config "$work/prometheus.yml" --target canary=v2 --target stable=v1 > "$work/exporter.out" &
exporter_pid=$!
for _ in $(seq 50); do grep -q PORT "$work/exporter.out" 2>/dev/null && break; sleep 0.1; done
exporter="http://127.0.0.1:$(awk '/PORT/ {print $2}' "$work/exporter.out")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" --log.level=warn > "$work/prometheus.log" 2>&1 &
prometheus_pid=$!
base="http://127.0.0.1:$port/api/v1"

curl -sS -X POST "$exporter/control/canary" -d '{"rps": 50, "errorShare": 0.1, "latencySeconds": [0.02, 0.02, 0.3]}' > /dev/null
curl -sS -X POST "$exporter/control/stable" -d '{"rps": 0}' > /dev/null

echo "waiting for both targets to be scraped..."
for _ in $(seq 60); do
  if curl -sS "$base/query" --data-urlencode 'query=count(up{job="lora"} == 1)' 2>/dev/null | grep -q '"2"\]'; then break; fi
  sleep 0.5
done
sleep 4   # a few samples in every 5 s window

canary='app="lora",account="local",track="canary",version="v2"'
stable='app="lora",account="local",track="stable",version="v1"'
now="$(date +%s)"

# capture NAME STATUS ENDPOINT CURL-ARGS...: one body, failing unless the status is STATUS.
capture() {
  local name=$1 expected=$2 endpoint=$3
  shift 3
  local status
  status="$(curl -sS -o "$here/$name.json" -w '%{http_code}' "$base/$endpoint" "$@")"
  [ "$status" = "$expected" ] || { echo "$name: HTTP $status, expected $expected" >&2; exit 1; }
  echo "$name.json ($status): $(head -c 160 "$here/$name.json")"
}

capture vector 200 query --data-urlencode "query=sum(rate(lora_http_requests_total{code=~\"5..\",$canary}[5s])) / sum(rate(lora_http_requests_total{$canary}[5s]))"
capture vector-two-series 200 query --data-urlencode 'query=sum by (track) (rate(lora_http_requests_total[5s]))'
capture vector-empty 200 query --data-urlencode 'query=lora_http_requests_total{track="missing"}'
capture vector-nan 200 query --data-urlencode "query=sum(rate(lora_http_requests_total{code=~\"5..\",$stable}[5s])) / sum(rate(lora_http_requests_total{$stable}[5s]))"
capture vector-inf 200 query --data-urlencode "query=sum(rate(lora_http_requests_total{$canary}[5s])) / sum(rate(lora_http_requests_total{$stable}[5s]))"
capture latency-p99 200 query --data-urlencode "query=histogram_quantile(0.99, sum by (le) (rate(lora_http_request_duration_seconds_bucket{$canary}[5s])))"
capture scalar 200 query --data-urlencode "query=scalar(sum(lora_http_requests_total{$canary}))"
capture string 200 query --data-urlencode 'query="tack"'
capture matrix 200 query_range --data-urlencode "query=sum(rate(lora_http_requests_total{$canary}[5s]))" \
  --data-urlencode "start=$((now - 3))" --data-urlencode "end=$now" --data-urlencode step=1
capture error-bad-data 400 query --data-urlencode 'query=sum(rate(lora_http_requests_total[5s])'
echo "done"
