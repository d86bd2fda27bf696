#!/usr/bin/env bash
# Screenshots the dashboard in a real headless browser (Debian's chromium): serves a demo ledger
# on a free loopback port, loads GET / (with a worker's timeline), and writes a PNG.
#   bash Tools/screenshot-dashboard.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dashboard.png}"
command -v chromium >/dev/null || apt-get install -y chromium
bash Tools/setup.sh
swift build --product careledger >/dev/null
bin="$(swift build --show-bin-path)/careledger"
source Tools/serve-demo.sh
serve_demo "$bin" 3000 7
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2200 \
  --screenshot="$out" "$url/?asOf=2025-06-30&period=2025-Q1&timeline=worker:W-00007" 2>/dev/null
echo "wrote $out from $url"
