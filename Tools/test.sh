#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs LMDB where missing, then builds and runs
# every test (Swift Testing runs them in parallel; each uses its own temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
swift build --build-tests
swift test --skip-build
