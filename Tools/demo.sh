#!/usr/bin/env bash
# A first look at CareLedger on a fresh machine: installs LMDB where missing, builds careledger,
# writes the demo programme (400 workers, about 8,000 events, with synthetic personal data under a
# master key made beside the ledger's folder) into a new ledger in a temporary folder, verifies its hash chain, and prints its digest, its counts, one worker's timeline and the
# read models a programme officer and a board start from; then serves the demo ledger over HTTP on
# loopback (port $CARELEDGER_PORT, default 8080) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${CARELEDGER_PORT:-8080}"
# Said before the build and the tour rather than after them: another program on the port.
if [ "$port" != 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "careledger demo: another program is listening on 127.0.0.1:$port; stop it, or choose another port:" >&2
  echo "  CARELEDGER_PORT=8081 bash Tools/demo.sh     (0 picks a free one)" >&2
  exit 2
fi
bash Tools/setup.sh
swift build --product careledger
bin="$(swift build --show-bin-path)/careledger"
data="${CARELEDGER_DEMO_DATA:-$(mktemp -d)/careledger-demo}"
key="$(dirname "$data")/careledger-demo-master.key"   # outside the data folder, as a real key must be
bash Tools/demo-tour.sh "$bin" "$data" "$key"
address="127.0.0.1:$port"
if [ "$port" = 0 ]; then
  # The server picks a free port and prints it on its last line: no address here would work.
  address="127.0.0.1:PORT"
  echo "Port 0: the server picks a free port and prints it below; put it where these lines say PORT."
fi
echo "The demo ledger is in $data. Open the dashboard at http://$address/ (a provider's return is"
echo "recorded at http://$address/record: paste its cells or choose its .xlsx, .ods or CSV file), or from another terminal try:"
echo "  $bin query partners --data $data --period 2025-Q1"
echo "  $bin timeline programme --data $data --period 2024-25 --publish"
echo "  curl -s 'http://$address/v1/caseload?asOf=2025-06-30'"
echo "  curl -s 'http://$address/v1/retention?period=2024-25&publish=true'"
echo "  curl -s 'http://$address/v1/partners?period=2025-Q1&format=csv'   # for a spreadsheet"
echo "  curl -s 'http://$address/v1/timeline/worker/W-00007'"
echo "  curl -s 'http://$address/v1/streams/worker-W-00007?reveal=true'   # recorded in the access log"
echo "  printf 'occurredOn,workerRef,kind,title\\n2025-07-01,W-00007,english,ESOL\\n' |"
echo "    curl -s -H 'Content-Type: text/csv' --data-binary @- \\"
echo "    'http://$address/v1/events?type=TrainingCompleted&check=true'   # a CSV's rows, checked"
echo
exec "$bin" serve --data "$data" --port "$port" --master-key "$key"
