# Sourced by the scripts that need a demo ledger served on a free loopback port:
#   serve_demo BINARY WORKERS SEED   sets $data (the ledger) and $url (where it is served), and
#   stops the server when the calling script exits.
serve_demo() {
  local bin="$1" workers="$2" seed="$3" log
  data="$(mktemp -d)/careledger-demo"
  "$bin" demo --data "$data" --workers "$workers" --seed "$seed" >/dev/null
  log="$(mktemp)"
  "$bin" serve --data "$data" --port 0 >"$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
  url="$(grep -o 'http://[^ ]*' "$log")"
}
