#!/usr/bin/env bash
# A first look at CareLedger on a fresh machine: installs LMDB where missing, builds careledger,
# writes the demo programme (400 workers, about 8,000 events, with synthetic personal data under a
# master key made beside the ledger's folder) into a new ledger in a temporary folder, verifies its hash chain, and prints its digest, its counts, one worker's timeline and the
# read models a programme officer and a board start from; then serves the demo ledger over HTTP on
# loopback (port $CARELEDGER_PORT, default 8080) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
swift build --product careledger
bin="$(swift build --show-bin-path)/careledger"
# The first N characters of each line (coreutils' cut counts bytes, and would split a £ in two).
first() { LC_ALL=C.UTF-8 sed -E "s/^(.{$1}).*/\1/"; }
# The first N lines of careledger's answer to the rest of the arguments. The answer is written
# whole to a file first: a pipe that stops reading early (head) would end careledger with
# SIGPIPE once the answer outgrows one write, and pipefail counts that as the script failing.
scratch="$(mktemp)"
trap 'rm -f "$scratch"' EXIT
lines() { local count="$1"; shift; "$bin" "$@" > "$scratch"; head -n "$count" "$scratch"; }
data="${CARELEDGER_DEMO_DATA:-$(mktemp -d)/careledger-demo}"
key="$(dirname "$data")/careledger-demo-master.key"   # outside the data folder, as a real key must be
"$bin" init --data "$data" >/dev/null
"$bin" keys init --data "$data" --master-key "$key" >/dev/null
"$bin" demo --data "$data" --personal-data --master-key "$key"
"$bin" verify --data "$data"
echo "Digest to publish: $("$bin" digest --data "$data")"
echo
"$bin" stats --data "$data"
echo
echo "Worker W-00007's timeline (first 12 events):"
lines 14 timeline worker W-00007 --data "$data" | first 160
echo
lines 12 query caseload --data "$data" --as-of 2025-06-30 | first 160
echo "…"
echo
"$bin" query retention --data "$data" --period 2024-25 --publish | tail -4
echo
echo "Personal data is stored encrypted and reads redacted unless revealed (each reveal is logged):"
"$bin" read --data "$data" --stream worker-W-00007 --limit 1 | first 120
"$bin" read --data "$data" --stream worker-W-00007 --limit 1 --reveal --master-key "$key" | first 160
"$bin" access-log --data "$data" | first 160
echo
port="${CARELEDGER_PORT:-8080}"
address="127.0.0.1:$port"
if [ "$port" = 0 ]; then
  # The server picks a free port and prints it on its last line: no address here would work.
  address="127.0.0.1:PORT"
  echo "Port 0: the server picks a free port and prints it below; put it where these lines say PORT."
fi
echo "The demo ledger is in $data. Open the dashboard at http://$address/, or from another terminal try:"
echo "  $bin query partners --data $data --period 2025-Q1"
echo "  $bin timeline programme --data $data --period 2024-25 --publish"
echo "  curl -s 'http://$address/v1/caseload?asOf=2025-06-30'"
echo "  curl -s 'http://$address/v1/retention?period=2024-25&publish=true'"
echo "  curl -s 'http://$address/v1/partners?period=2025-Q1&format=csv'   # for a spreadsheet"
echo "  curl -s 'http://$address/v1/timeline/worker/W-00007'"
echo "  curl -s 'http://$address/v1/streams/worker-W-00007?reveal=true'   # recorded in the access log"
echo
rm -f "$scratch"  # exec ends the shell without its EXIT trap
exec "$bin" serve --data "$data" --port "$port" --master-key "$key"
