#!/usr/bin/env bash
# What personal data costs (issue 5), measured in one run: the same demo programme imported with
# and without synthetic personal data (every worker's pii, about half the support notes), then one
# erasure and a reveal of every registration (each recorded in the access log).
#   bash Tools/bench-personal-data.sh [WORKERS]      (default 20000: about 416,000 events)
set -euo pipefail
cd "$(dirname "$0")/.."
workers="${1:-20000}"
swift build -c release --product careledger >/dev/null
bin="$(swift build -c release --show-bin-path)/careledger"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" demo --workers "$workers" --ndjson > "$work/plain.ndjson"
"$bin" demo --workers "$workers" --ndjson --personal-data > "$work/personal.ndjson"
"$bin" init --data "$work/plain" >/dev/null
"$bin" init --data "$work/personal" >/dev/null
"$bin" keys init --data "$work/personal" --master-key "$work/master.key" >/dev/null
echo "events: $(wc -l < "$work/plain.ndjson"); with pii: $(grep -c '"pii"' "$work/personal.ndjson"); with notes: $(grep -c '"notes"' "$work/personal.ndjson")"
plain=$("$bin" import "$work/plain.ndjson" --data "$work/plain" | grep -o '[0-9]* events/s' | cut -d' ' -f1)
personal=$("$bin" import "$work/personal.ndjson" --data "$work/personal" --master-key "$work/master.key" | grep -o '[0-9]* events/s' | cut -d' ' -f1)
echo "import without personal data: $plain events/s"
echo "import with personal data:    $personal events/s ($(awk "BEGIN { printf \"%.1f\", 100 * $personal / $plain }")% of the rate without)"
echo "data-key file: $(wc -c < "$work/personal/keys/data-keys.json") bytes for $workers workers"
start=$(date +%s.%N)
"$bin" erase W-00100 --request BENCH-1 --data "$work/personal" >/dev/null
echo "erase one worker (key file rewritten, event appended): $(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }") s"
start=$(date +%s.%N)
"$bin" read --type WorkerRegistered --reveal --data "$work/personal" --master-key "$work/master.key" > /dev/null
echo "reveal every registration ($workers, each recorded in the access log): $(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }") s"
start=$(date +%s.%N)
"$bin" read --type WorkerRegistered --data "$work/personal" > /dev/null
echo "read them redacted: $(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }") s"
