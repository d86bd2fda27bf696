#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs LMDB where missing, then builds and runs
# every test (Swift Testing runs them in parallel; each uses its own temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
# One test holds the schema validator to Python's jsonschema (Tools/reference/schemacheck.py):
# pip's Python has it on this kind of machine; where no python3 does, Debian's package.
if ! python3 -c 'import jsonschema' 2>/dev/null && ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  echo "careledger tests: installing python3-jsonschema from Debian's packages" >&2
  $([ "$(id -u)" -ne 0 ] && echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null \
    || echo "careledger tests: could not install python3-jsonschema; the schema agreement test will say so" >&2
fi
swift build --build-tests
swift test --skip-build
