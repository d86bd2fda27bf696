#!/usr/bin/env bash
# The dashboard's forms in a real browser: serves a demo ledger on a free loopback port (no
# tokens, then with a token signed in through the dashboard's form), posts a provider's .xlsx
# and LibreOffice's web page of a return through the /record page's form (Tools/browser/record-upload.py), replaces a return there by a
# corrected one (Tools/browser/replace-return.py) and corrects a worker's training through
# /correct (Tools/browser/correct-event.py), in headless chromium; then, on a demo holding
# personal data served with its master key, rectifies a worker's name there as staff
# (Tools/browser/rectify-name.py), which shows it only on asking and records the showing.
#   bash Tools/browser/pages.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || apt-get install -y chromium
python3 -c 'import websocket' 2>/dev/null || python3 -m pip install --quiet websocket-client
bash Tools/setup.sh
swift build --product careledger >/dev/null
bin="$(swift build --show-bin-path)/careledger"
workbook="Tests/Fixtures/provider-return-shared.xlsx"
source Tools/serve-demo.sh
serve_demo "$bin" 50 7
echo "== no tokens: $url"
python3 Tools/browser/record-upload.py "$url" "$PWD/$workbook"
python3 Tools/browser/record-upload.py "$url" "$PWD/Tests/Fixtures/provider-return-typed.html"   # a web page's tables
python3 Tools/browser/replace-return.py "$url" W-00003
python3 Tools/browser/correct-event.py "$url" W-00003
kill "$server"; wait "$server" 2>/dev/null || true
token="$("$bin" tokens add officer --role staff --role writer --data "$data" | head -1)"
log="$(mktemp)"
"$bin" serve --data "$data" --port 0 >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$log")"
echo "== with a token, signed in: $url"
python3 Tools/browser/record-upload.py "$url" "$PWD/$workbook" "$token"
python3 Tools/browser/replace-return.py "$url" W-00004 "$token"
python3 Tools/browser/correct-event.py "$url" W-00004 "$token"
kill "$server"; wait "$server" 2>/dev/null || true
pd="$(mktemp -d)/careledger-demo-pd"
key="$(dirname "$pd")/master.key"
"$bin" init --data "$pd" >/dev/null
"$bin" keys init --data "$pd" --master-key "$key" >/dev/null
"$bin" demo --data "$pd" --workers 20 --seed 7 --personal-data --master-key "$key" >/dev/null
"$bin" serve --data "$pd" --port 0 --master-key "$key" >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$log")"
echo "== personal data, no tokens: $url"
python3 Tools/browser/rectify-name.py "$url" W-00003
"$bin" access-log --data "$pd" | tail -2
