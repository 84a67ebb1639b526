#!/usr/bin/env bash
# Installs the Debian 12 packages shian needs to build, test and run, only those missing.
# Usage: scripts/install-deps.sh [build|test|demo]   (test adds PostgreSQL, Chromium, clang)
set -euo pipefail
what=${1:-build}
pkgs=(build-essential cmake ninja-build pkg-config python3 git
      libsqlite3-dev sqlite3 libpq-dev libargon2-dev libxlsxwriter-dev libzip-dev libpugixml-dev
      nlohmann-json3-dev libcli11-dev libpoco-dev libjemalloc-dev libgtest-dev libgmock-dev nodejs npm)
if [ "$what" = test ]; then
  pkgs+=(postgresql-15 chromium fonts-noto-cjk clang-14 libclang-rt-14-dev)
fi
if [ "$what" = demo ]; then
  pkgs+=(fonts-noto-cjk)
fi
missing=()
for p in "${pkgs[@]}"; do
  # node/npm may come from the machine image rather than Debian; accept them when on PATH.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# PostgreSQL is only started by scripts/with-postgres.sh for tests: no default cluster on :5432.
mkdir -p /etc/postgresql-common/createcluster.d 2>/dev/null && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/shian.conf 2>/dev/null || true
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
