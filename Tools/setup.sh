#!/usr/bin/env bash
# Installs what CareLedger needs from Debian's packages and nothing else:
# LMDB's headers and library (liblmdb-dev) and pkg-config, which SwiftPM
# uses to find them. Safe to run again: it does nothing when both are there.
set -euo pipefail

if pkg-config --exists lmdb 2>/dev/null; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "careledger setup: installing liblmdb-dev and pkg-config from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends liblmdb-dev pkg-config >/dev/null
pkg-config --exists lmdb || { echo "careledger setup: lmdb still not found by pkg-config" >&2; exit 1; }
