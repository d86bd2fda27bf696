#!/usr/bin/env bash
# The HTTP benchmark (run by hand, never by the tests): durable single-event appends from 1, 16
# and 64 concurrent loopback clients, and read-model requests, with wrk (Debian's package).
# Prints wrk's figures for each; compare the lines of one run.
#   bash Tools/bench-http/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
command -v wrk >/dev/null || sudo apt-get install -y wrk || apt-get install -y wrk
swift build -c release --product careledger >/dev/null
bin="$(swift build -c release --show-bin-path)/careledger"
source Tools/serve-demo.sh
serve_demo "$bin" 2000 3
echo "server: $url over $("$bin" stats --data "$data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])') demo events"
# The ceiling: the cheapest route, through the same HTTP stack, with wrk on the same two cores.
echo "== GET /healthz, 64 clients (the HTTP stack's ceiling on this machine)"
wrk -t 2 -c 64 -d "${seconds}s" --latency "$url/healthz" | grep -E "Requests/sec|50%|99%|Non-2xx"
for clients in 1 16 64; do
  threads=$(( clients < 2 ? 1 : 2 ))
  echo "== durable appends, $clients client(s)"
  wrk -t "$threads" -c "$clients" -d "${seconds}s" --latency -s Tools/bench-http/append.lua "$url/v1/events" \
    | grep -E "Requests/sec|50%|99%|requests in|Non-2xx"
done
echo "== durable appends, 64 clients, each event with a random id of the client's"
wrk -t 2 -c 64 -d "${seconds}s" --latency -s Tools/bench-http/append-with-ids.lua "$url/v1/events" \
  | grep -E "Requests/sec|50%|99%|requests in|Non-2xx"
for path in "/v1/caseload?asOf=2025-06-30" "/v1/retention?period=2024-25" "/v1/timeline/worker/W-00007"; do
  echo "== GET $path, 64 clients"
  wrk -t 2 -c 64 -d "${seconds}s" --latency "$url$path" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
"$bin" verify --data "$data" | tail -1
