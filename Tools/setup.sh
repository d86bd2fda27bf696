#!/usr/bin/env bash
# Installs what CareLedger needs from Debian's packages and nothing else: LMDB's headers and
# library (liblmdb-dev); zlib's headers (zlib1g-dev), with which ZIPFoundation opens the .xlsx
# workbooks that `record --rows` reads; libxml2, with which Foundation reads their XML; and
# pkg-config, which SwiftPM uses to find them. Safe to run again: it does nothing when all are there.
set -euo pipefail

missing=()
pkg-config --exists lmdb 2>/dev/null || missing+=(liblmdb-dev)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
ldconfig -p 2>/dev/null | grep -q 'libxml2\.so\.2' || missing+=(libxml2)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "careledger setup: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" pkg-config >/dev/null
pkg-config --exists lmdb || { echo "careledger setup: lmdb still not found by pkg-config" >&2; exit 1; }
[ -e /usr/include/zlib.h ] || { echo "careledger setup: zlib.h still missing" >&2; exit 1; }
