#!/usr/bin/env bash
# A first look at CareLedger on a fresh machine: installs LMDB where missing, builds careledger,
# imports the 600-event sample programme into a new ledger in a temporary folder, verifies its
# hash chain, prints its published digest and one worker's stream.
# (Serving the demo ledger on loopback, with a dashboard, comes with the HTTP endpoint.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
swift build --product careledger
bin="$(swift build --show-bin-path)/careledger"
data="${CARELEDGER_DEMO_DATA:-$(mktemp -d)/careledger-demo}"
"$bin" init --data "$data"
"$bin" import --data "$data" Tests/Fixtures/programme-sample.ndjson
"$bin" verify --data "$data"
echo "Digest to publish: $("$bin" digest --data "$data")"
echo
echo "Worker W-00024's stream:"
"$bin" read --data "$data" --stream worker-W-00024 | cut -c1-160
echo
echo "The demo ledger is in $data. Try: $bin stats --data $data"
