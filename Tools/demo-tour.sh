#!/usr/bin/env bash
# The demo's tour, run by Tools/demo.sh (and by a test, so that the Quick start's printed part
# cannot break unseen): writes the demo programme into a new ledger DATA with synthetic personal
# data under the master key KEY (made there, outside DATA), verifies it, and prints its digest,
# its counts, one worker's timeline, the caseload, published retention, and a worker's
# registration redacted and then revealed, with the access-log entry the reveal made; then
# corrects a mistake by its seq (careledger retract) and shows what that changes in figures
# published before it (careledger changes), and records a fact from its fields (careledger record).
#   bash Tools/demo-tour.sh CARELEDGER_BINARY DATA KEY
set -euo pipefail
bin="$1" data="$2" key="$3"
# The first N characters of each line (coreutils' cut counts bytes, and would split a £ in two).
first() { LC_ALL=C.UTF-8 sed -E "s/^(.{$1}).*/\1/"; }
# The first N lines of careledger's answer to the rest of the arguments. The answer is written
# whole to a file first: a pipe that stops reading early (head) would end careledger with
# SIGPIPE once the answer outgrows one write, and pipefail counts that as the script failing.
scratch="$(mktemp)"
trap 'rm -f "$scratch"' EXIT
lines() { local count="$1"; shift; "$bin" "$@" > "$scratch"; head -n "$count" "$scratch"; }
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
echo "A mistake corrected by the seq a timeline shows, and what that changes in figures published before it:"
published="$("$bin" digest --data "$data")"
"$bin" read --data "$data" --stream worker-W-00007 --type EmploymentStarted --limit 1 > "$scratch"
mistaken="$(grep -o -m 1 '"seq":[0-9]*' "$scratch" | cut -d: -f2)"
lines 2 retract "$mistaken" --data "$data" --reason "Recorded against the wrong worker" | first 160
"$bin" changes --data "$data" --since "$published" --period 2024-25 --figures | first 160
echo
echo "A fact recorded from its fields, without writing its JSON (careledger schemas TYPE lists them):"
"$bin" record TrainingCompleted --data "$data" --on 2025-07-01 workerRef=W-00007 kind=mandatory title="Moving and handling refresher" | first 160
echo
