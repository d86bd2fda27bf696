#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs LMDB where missing, then builds and runs
# every test (Swift Testing runs them in parallel; each uses its own temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
# Two tests hold the validator and the server's document to Python's libraries (Tools/reference/):
# jsonschema and openapi-spec-validator. pip's Python has both on this kind of machine; where
# python3 lacks them, pip installs them from PyPI, or else Debian gives jsonschema.
if ! python3 -c 'import jsonschema, openapi_spec_validator' 2>/dev/null; then
  echo "careledger tests: installing jsonschema and openapi-spec-validator for python3" >&2
  python3 -m pip install --quiet jsonschema openapi-spec-validator 2>/dev/null \
    || $([ "$(id -u)" -ne 0 ] && echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null \
    || echo "careledger tests: could not install them; the tests that need them will say so" >&2
fi
swift build --build-tests
swift test --skip-build
