#!/usr/bin/env bash
# Compares two builds of careledger-bench-import on the same input, interleaved, because this
# machine's minutes differ more than most changes do: each round times A's import, B's import and
# bare LMDB appends (each a child process of its own, after a sync), and the end prints each
# one's median and the median of the rounds' B - A differences.
#
#   bash Tools/bench-import-ab.sh A_BINARY B_BINARY [ROUNDS] [EVENTS]
#
# Make the binaries with `swift build -c release --product careledger-bench-import` and copy
# .build/release/careledger-bench-import aside before and after the change (for example a patch
# of Tools/experiments/, applied with `git apply`).
set -euo pipefail
a="$1" b="$2" rounds="${3:-8}" events="${4:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CARELEDGER_BENCH_INPUT="$work/input.ndjson" "$a" "$events" >/dev/null
time_phase() {  # binary phase: prints the phase's seconds
  rm -rf "$work/folder"
  sync
  CARELEDGER_BENCH_PHASE="$2" "$1" "$events" "$work/input.ndjson" "$work/folder" | tail -1
}
for round in $(seq "$rounds"); do
  ta="$(time_phase "$a" ledger)" tb="$(time_phase "$b" ledger)" tbare="$(time_phase "$a" bare)"
  echo "$round $ta $tb $tbare"
done | tee "$work/rounds" | awk '{ printf "round %d: A %.2f s, B %.2f s, bare %.2f s\n", $1, $2, $3, $4 }'
python3 - "$work/rounds" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split()[1:])) for line in open(sys.argv[1])]
a, b, bare = ([row[i] for row in rows] for i in range(3))
print(f"medians of {len(rows)} rounds: A {statistics.median(a):.2f} s, B {statistics.median(b):.2f} s, bare {statistics.median(bare):.2f} s")
print(f"B - A, median of the rounds' differences: {statistics.median(y - x for x, y in zip(a, b)):+.2f} s")
print(f"of bare (median round): A {100 * statistics.median(c / x for x, c in zip(a, bare)):.1f}%, B {100 * statistics.median(c / y for y, c in zip(b, bare)):.1f}%")
EOF
