#!/usr/bin/env bash
# bench/ab.sh DB_URL BIN_A BIN_B [SCENARIO...]: compares two builds of shian on one bench
# database by interleaving them: ROUNDS times (default 6), A then B, each serves DB_URL and
# runs every scenario for AB_DURATION (6s) at 16 connections after a 2 s warm-up. Prints each
# run, then per scenario the median req/s and p99 of each build and in how many rounds B was
# faster.
#
# Why interleave: on a shared or virtual machine the speed of the same binary can swing by
# ±20 % from one minute to the next, which swamps a change of 10 %; alternating many short
# runs spreads the swings over both builds and the medians compare what is left.
#
# The database must hold the bench user (bench/run.sh creates it: user `bench`, role office,
# password Bench@2026x; keep it with BENCH_KEEP=1 or reuse a database with BENCH_REUSE_DB).
# Scenarios default to list list_region search2. Environment: AB_ROUNDS (6), AB_DURATION (6s),
# AB_PORT (18110), AB_DB_B (the database B serves, default DB_URL: e.g. the same PostgreSQL
# database through its Unix socket instead of TCP, with BIN_B = BIN_A), AB_ARGS_A / AB_ARGS_B
# (more `shian serve` options for A / B: e.g. AB_ARGS_B="--active-requests 4" with BIN_B =
# BIN_A compares a setting rather than a build).
set -euo pipefail

if [[ $# -lt 3 ]]; then
    echo "usage: $0 DB_URL BIN_A BIN_B [SCENARIO...]" >&2
    exit 2
fi
db="$1"
dbs=("$1" "${AB_DB_B:-$1}")
bins=("$2" "$3")
read -r -a args_a <<< "${AB_ARGS_A:-}"
read -r -a args_b <<< "${AB_ARGS_B:-}"
shift 3
if [[ $# -gt 0 ]]; then scenarios=("$@"); else scenarios=(list list_region search2); fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${AB_ROUNDS:-6}"
duration="${AB_DURATION:-6s}"
port="${AB_PORT:-18110}"
for tool in wrk curl python3; do
    command -v "$tool" > /dev/null || { echo "ab: $tool is required" >&2; exit 1; }
done
for bin in "${bins[@]}"; do
    [[ -x "$bin" ]] || { echo "ab: $bin is not an executable" >&2; exit 1; }
done

villages="$(awk -F, '$3 == "village" { printf "%s%s", sep, $1; sep = "," }' "$root/data/regions/511902.csv")"
results="$(mktemp)"
server=""
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
    rm -f "$results"
}
trap cleanup EXIT

# Serves DB_URL with $1 and runs every scenario; appends "label scenario rps p99" lines.
run_build() {
    local bin="$1" label="$2" round="$3" db="$4"
    local extra=()
    if [[ $label == A ]]; then extra=("${args_a[@]}"); else extra=("${args_b[@]}"); fi
    "$bin" serve --db "$db" --port "$port" --web /nonexistent "${extra[@]}" > /dev/null 2>&1 &
    server=$!
    for _ in $(seq 1 500); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
        sleep 0.01
    done
    local token townships
    token="$(curl -sf -X POST -H 'Content-Type: application/json' \
        -d '{"username":"bench","password":"Bench@2026x"}' "http://127.0.0.1:$port/api/v1/auth/login" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
    townships="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/regions?parent=511902" |
        python3 -c 'import json,sys; print(",".join(i["code"] for i in json.load(sys.stdin)["items"]))')"
    export BENCH_TOKEN="$token" BENCH_TOWNSHIPS="$townships" BENCH_VILLAGES="$villages" \
        BENCH_MAX_ID="${BENCH_MAX_ID:-1000000}" BENCH_DIR="$root/bench"
    local s out rps p99
    for s in "${scenarios[@]}"; do
        wrk -t2 -c16 -d2s -s "$root/bench/lua/$s.lua" "http://127.0.0.1:$port" > /dev/null
        out="$(wrk -t2 -c16 -d"$duration" --latency --timeout 10s -s "$root/bench/lua/$s.lua" "http://127.0.0.1:$port")"
        rps="$(grep '^RESULT' <<< "$out" | sed -E 's/.* rps=([0-9.]+).*/\1/')"
        p99="$(grep '^RESULT' <<< "$out" | sed -E 's/.* p99_ms=([0-9.]+).*/\1/')"
        echo "$label $s $rps $p99" >> "$results"
        echo "round $round $label $s: $rps req/s, p99 $p99 ms"
    done
    kill "$server"
    wait "$server" 2> /dev/null || true
    server=""
}

for round in $(seq 1 "$rounds"); do
    run_build "${bins[0]}" A "$round" "${dbs[0]}"
    run_build "${bins[1]}" B "$round" "${dbs[1]}"
done

python3 - "$results" <<'PYEOF'
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    label, scenario, rps, p99 = line.split()
    runs.setdefault((scenario, label), []).append((float(rps), float(p99)))
print(f"{'scenario':<16}{'A req/s':>10}{'A p99':>8}{'B req/s':>10}{'B p99':>8}  B faster")
for scenario in dict.fromkeys(s for s, _ in runs):
    a, b = runs[(scenario, "A")], runs[(scenario, "B")]
    wins = sum(1 for x, y in zip(a, b) if y[0] > x[0])
    print(f"{scenario:<16}{statistics.median(r for r, _ in a):>10.0f}{statistics.median(p for _, p in a):>8.1f}"
          f"{statistics.median(r for r, _ in b):>10.0f}{statistics.median(p for _, p in b):>8.1f}  {wins} of {len(a)}")
PYEOF
