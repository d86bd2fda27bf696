#!/usr/bin/env bash
# A first look at CareLedger on a fresh machine: installs LMDB where missing, builds careledger,
# writes the demo programme (400 workers, about 8,000 events) into a new ledger in a temporary
# folder, verifies its hash chain, and prints its digest, its counts and one worker's stream.
# (Serving the demo ledger on loopback, with a dashboard, comes with the HTTP endpoint.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
swift build --product careledger
bin="$(swift build --show-bin-path)/careledger"
data="${CARELEDGER_DEMO_DATA:-$(mktemp -d)/careledger-demo}"
"$bin" demo --data "$data"
"$bin" verify --data "$data"
echo "Digest to publish: $("$bin" digest --data "$data")"
echo
"$bin" stats --data "$data"
echo
echo "Worker W-00007's stream (first 12 events):"
"$bin" read --data "$data" --stream worker-W-00007 --limit 12 | cut -c1-150
echo
echo "The demo ledger is in $data. Try: $bin read --data $data --type WorkerDisplaced"
