#!/usr/bin/env bash
# Fuzzes one reader of untrusted bytes with libFuzzer and AddressSanitizer, for SECONDS (default
# 600), and leaves any input that stops the process in the work folder, named for the harness:
#
#   bash Tools/fuzz/run.sh events     # a batch, checked as append --check checks it, personal data included
#   bash Tools/fuzz/run.sh rows       # a spreadsheet's rows: .xlsx, .ods, .fods, Excel XML, web page, CSV
#   bash Tools/fuzz/run.sh multipart  # the /record page's form body
#   bash Tools/fuzz/run.sh json 300   # the tape parser and the canonical writer
#   bash Tools/fuzz/run.sh pack       # an audit pack a forger made, as audit-pack verify checks it
#
# The package never builds with the fuzzer's flags: a copy of this working tree, in
# $CARELEDGER_FUZZ_WORK (default /tmp/careledger-fuzz), gains the target careledger-fuzz
# (Tools/fuzz/Harness) and is built there, in release; later runs reuse its build and corpus.
# A crash is a bug: turn its input into a test, as WorkbookTests did for two XML declarations.
set -euo pipefail
# Read whole before it runs (a brace group ends at its brace), so that editing this file during
# a run of many minutes does not change the run: bash reads a script as it goes.
{

harness=${1:?usage: bash Tools/fuzz/run.sh events|rows|multipart|json|pack [SECONDS]}
seconds=${2:-600}
case $harness in events|rows|multipart|json|pack) ;; *) echo "run.sh: no harness $harness: events, rows, multipart, json or pack" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${CARELEDGER_FUZZ_WORK:-/tmp/careledger-fuzz}
package=$work/package
mkdir -p "$package"

# This working tree, uncommitted changes included, over the last copy (its build kept).
tar -C "$root" --exclude='./.build*' --exclude='./.git' --exclude='./careledger-data' -cf - . | tar -C "$package" -xf -
cp "$root/Sources/CareLedgerServer/MultipartForm.swift" "$package/Tools/fuzz/Harness/"
python3 - "$package/Package.swift" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
anchor = "    targets: ["
target = ('\n        .executableTarget(name: "careledger-fuzz", dependencies: ["CareLedger", "LedgerJSON", "SpreadsheetRows", .product(name: "Crypto", package: "swift-crypto")],'
          ' path: "Tools/fuzz/Harness", swiftSettings: [.unsafeFlags(["-parse-as-library"])],'
          ' linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]),')
open(path, "w").write(text.replace(anchor, anchor + target, 1))
EOF
echo "run.sh: building careledger-fuzz in $package (the first build takes about 10 minutes)" >&2
swift build --package-path "$package" -c release --product careledger-fuzz -Xswiftc -sanitize=fuzzer,address >&2
fuzzer=$(swift build --package-path "$package" -c release --show-bin-path)/careledger-fuzz

# A corpus to start from, made once: what each reader meets in use. Made in a folder of its
# own and moved into place whole, so that a run stopped while making it makes it again.
corpus=$work/corpus-$harness
if [ ! -d "$corpus" ]; then
    final=$corpus
    corpus=$final.partial
    rm -rf "$corpus"
    mkdir -p "$corpus"
    case $harness in
    events)
        swift build --package-path "$root" --product careledger >&2
        careledger=$(swift build --package-path "$root" --show-bin-path)/careledger
        # Personal data too, so that sealing at the door and a re-sent event's comparison with
        # the stored ciphertext are fuzzed: the corpus holds the plaintext, as a writer sends it.
        rm -rf "$work/ledger" "$work/master.key"
        "$careledger" init --data "$work/ledger" >/dev/null
        "$careledger" keys init --data "$work/ledger" --master-key "$work/master.key" >/dev/null
        "$careledger" demo --data "$work/ledger" --workers 20 --personal-data --master-key "$work/master.key" >/dev/null
        "$careledger" read --data "$work/ledger" --reveal --master-key "$work/master.key" | python3 -c '
import json, random, sys
random.seed(1)
by_type = {}
for line in sys.stdin:
    event = json.loads(line)
    for stored in ("seq", "streamVersion", "recordedAt", "hash"):
        event.pop(stored)
    if random.random() < 0.5: event.pop("id")
    if random.random() < 0.5: event.pop("stream")
    by_type.setdefault(event["type"], []).append(event)
for n, (kind, events) in enumerate(by_type.items()):
    open(f"{sys.argv[1]}/{kind}.json", "w").write(json.dumps(events[0]))
    open(f"{sys.argv[1]}/{kind}.ndjson", "w").write("\n".join(json.dumps(e) for e in events[:3]))
    batch = {"events": events[:2], "expectedVersions": {events[0].get("stream", "worker-W-00001"): n % 4}}
    open(f"{sys.argv[1]}/{kind}.batch.json", "w").write(json.dumps(batch))
# Events the ledger would take, so that personal data is sealed, not refused first for a
# closed case or a worker registered twice: a new worker, and notes on a case opened with them.
def fresh(event, **data):
    event = dict(event, data=dict(event["data"], **data))
    for member in ("id", "stream"): event.pop(member, None)
    return event
registered = fresh(by_type["WorkerRegistered"][0], workerRef="W-99999")
opened = fresh(by_type["CaseOpened"][0], caseId="C-99999")
support = fresh(by_type["SupportProvided"][0], caseId="C-99999")
open(f"{sys.argv[1]}/WorkerRegistered.new.json", "w").write(json.dumps(registered))
open(f"{sys.argv[1]}/SupportProvided.new.batch.json", "w").write(json.dumps({"events": [opened, support]}))
' "$corpus"
        ;;
    rows)
        cp "$root"/Tests/Fixtures/provider-return* "$corpus/"
        printf 'occurredOn,workerRef,title\n2025-01-01,W-1,"a ""quoted"", field"\n2025-01-02,W-2,x\r\n' > "$corpus/return.csv"
        printf '\xef\xbb\xbfoccurredOn\tworkerRef\n2025-01-01\tW-1\n' > "$corpus/return.tsv"
        ;;
    multipart)
        printf '\x04XyZ\r\n--XyZ\r\nContent-Disposition: form-data; name="rows"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\noccurredOn,workerRef\n2025-01-01,W-1\n\r\n--XyZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nWorkerArrived\r\n--XyZ--\r\n' > "$corpus/form"
        ;;
    pack)
        # A worker's pack of a small demo ledger: each of its files, behind the byte that
        # chooses it (PackHarness.names), is a seed.
        swift build --package-path "$root" --product careledger >&2
        careledger=$(swift build --package-path "$root" --show-bin-path)/careledger
        rm -rf "$work/pack-ledger" "$work/pack"
        "$careledger" init --data "$work/pack-ledger" >/dev/null
        "$careledger" demo --data "$work/pack-ledger" --workers 2 >/dev/null
        "$careledger" audit-pack --data "$work/pack-ledger" --worker W-00002 --out "$work/pack" >/dev/null
        for n in 0 1 2 3; do
            name=$(echo manifest.json chain.ndjson events.ndjson figures.json | cut -d' ' -f$((n + 1)))
            { printf "\\$(printf %o "$n")"; cat "$work/pack/$name"; } > "$corpus/$name"
        done
        ;;
    json)
        head -n 40 "$root/Tests/Fixtures/programme-sample.ndjson" | split -l 1 - "$corpus/event-"
        printf '[1e400,-1e-400,123456789012345678901234567890,-0,0.1,"\\u00e9\\ud83d\\ude00"]' > "$corpus/numbers"
        ;;
    esac
    mv "$corpus" "$final"
    corpus=$final
fi

case $harness in rows|pack) longest=65536 ;; *) longest=8192 ;; esac
echo "run.sh: fuzzing $harness for $seconds s; a stopping input is written as $work/$harness-crash-…" >&2
# A corpus made before personal data was fuzzed has a ledger without a master key.
if [ -f "$work/master.key" ]; then export FUZZ_MASTER_KEY=$work/master.key; fi
# Leaks are not looked for: Foundation's XML parser leaks an error string for each fault it
# reports (libxml2's, through _CFErrorCreateFromXMLInterface), a few bytes a damaged workbook.
CARELEDGER_FUZZ=$harness FUZZ_LEDGER="$work/ledger" FUZZ_PACK="$work/pack" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
    "$fuzzer" -max_total_time="$seconds" -max_len="$longest" -timeout=20 -rss_limit_mb=4096 \
    -detect_leaks=0 -artifact_prefix="$work/$harness-" "$corpus"
exit
}
