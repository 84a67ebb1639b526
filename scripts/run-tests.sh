#!/usr/bin/env bash
# Runs every test of shian against a debug (ASan+UBSan) build: unit, storage contract on
# SQLite and on a real PostgreSQL 15 (started on loopback by with-postgres.sh), API/CLI tests
# on both engines, the web console's checks and browser end-to-end tests, and short fuzz runs.
# Usage: scripts/run-tests.sh BUILD_DIR        Prints 'N passed, M failed' at the end.
set -uo pipefail
build=${1:-build/debug}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0; failed=0; failures=()

step() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# ctest runs the C++ suites and the API tests; the PostgreSQL ones need the server below.
step "unit + sqlite (ctest)" ctest --test-dir "$build" --output-on-failure -E postgres
step "postgres (ctest)" scripts/with-postgres.sh ctest --test-dir "$build" --output-on-failure -R postgres

if [ -f web/package.json ]; then
  step "web lint" bash -c "cd web && npm run --silent lint"
  step "web typecheck" bash -c "cd web && npm run --silent typecheck"
  step "web unit" bash -c "cd web && npm run --silent test"
  if [ -f web/e2e/run.mjs ]; then
    step "web e2e" bash -c "cd web && SHIAN_BIN='$root/$build/shian' node e2e/run.mjs"
  fi
fi
if [ -x scripts/run-fuzz.sh ]; then
  step "fuzz (short)" scripts/run-fuzz.sh 10
fi

echo
if [ $failed -gt 0 ]; then echo "failed: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
