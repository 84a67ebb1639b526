#!/usr/bin/env bash
# bench/run.sh [sqlite|postgres] [N]: end-to-end performance run of build/release/shian.
#
#   1. creates a fresh database (SQLite file under the work directory, or a new PostgreSQL
#      database), runs `shian migrate` and `shian bench-data --businesses N` (N default 1000000);
#   2. adds an `office` user of the county (region_and_below scope: every row, but through the
#      scope predicate every real county user has) and logs in for a Bearer token;
#   3. measures start-up (exec of `shian serve` to the first /healthz 200), then runs wrk
#      (bench/lua/*.lua) for each scenario at 16 connections (and 1 connection for a
#      latency-only baseline), and reads the server's RSS (VmRSS, VmHWM) from /proc;
#   4. times the same list/search/count SQL directly in sqlite3/psql (bench/floor.py);
#   5. exports BENCH_IMPORT_ROWS (100000) rows to CSV with `shian export businesses` and imports
#      them into another fresh database with `shian import businesses`, then uploads the same
#      file to a `shian serve` of a third fresh database (time, the server's peak RSS);
#   6. prints a results table (also written to WORK/results.txt).
#
# Builds nothing: build first with
#   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build/release
#
# postgres: uses SHIAN_BENCH_PG_URL (or SHIAN_TEST_PG_URL) as an admin connection to create
# and drop the bench databases; when neither is set, re-runs itself under
# scripts/with-postgres.sh (a throwaway PostgreSQL 15 server, fsync off, shared_buffers 3GB;
# SHIAN_PG_CONF replaces those extra settings).
#
# Environment (defaults): SHIAN_BIN (build/release/shian), BENCH_DURATION (15s),
# BENCH_DURATION_C1 (5s), BENCH_CONNECTIONS (16), BENCH_WRK_THREADS (2),
# BENCH_SERVER_THREADS (the server's default), BENCH_ACTIVE_REQUESTS (the server's default:
# 2 x cores on SQLite, no limit on PostgreSQL), BENCH_IMPORT_ROWS (100000),
# BENCH_SCENARIOS (all: list list_region list_village search2 search3 search_region search_filter
# search_number detail stats_kind stats_region), BENCH_WORK_DIR (a new /tmp/shian-bench.XXXXXX), BENCH_KEEP=1 (keep the
# databases and work directory), BENCH_REUSE_DB (an existing bench database URL: skips creating
# and generating; migrations still run), BENCH_SKIP_IMPORT=1, BENCH_SKIP_FLOOR=1,
# BENCH_WARMUP (2s: each scenario's warm-up at BENCH_CONNECTIONS; a longer one lets the
# server's per-process memory of frequent words — SearchHints, a minute — cover the scenario's
# queries, so that p99 shows the steady state rather than each query's first search).
set -euo pipefail

engine="${1:-sqlite}"
count="${2:-1000000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shian="${SHIAN_BIN:-$root/build/release/shian}"
duration="${BENCH_DURATION:-15s}"
duration_c1="${BENCH_DURATION_C1:-5s}"
connections="${BENCH_CONNECTIONS:-16}"
wrk_threads="${BENCH_WRK_THREADS:-2}"
import_rows="${BENCH_IMPORT_ROWS:-100000}"
warmup="${BENCH_WARMUP:-2s}"
scenarios="${BENCH_SCENARIOS:-list list_region list_village search2 search3 search_region search_filter search_number detail stats_kind stats_region}"
county=511902
password='Bench@2026x'

case "$engine" in
    sqlite | postgres) ;;
    *) echo "usage: $0 [sqlite|postgres] [N]" >&2; exit 2 ;;
esac
if [[ ! -x "$shian" ]]; then
    echo "bench: $shian not found; build the release binary first (see the header of $0)" >&2
    exit 1
fi
for tool in wrk curl python3; do
    command -v "$tool" > /dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
if [[ "$engine" == postgres && -z "${SHIAN_BENCH_PG_URL:-}" && -z "${SHIAN_TEST_PG_URL:-}" ]]; then
    # Sized as for a database server of this machine's memory (PostgreSQL's 128 MB default keeps
    # a 1M-business table of 1.2 GB out of its buffers: every page a search reads is a pread).
    export SHIAN_PG_CONF="${SHIAN_PG_CONF:-shared_buffers = 3GB
effective_cache_size = 12GB}"
    exec "$root/scripts/with-postgres.sh" "$0" "$@"
fi

log() { echo "bench: $*" >&2; }
now_ms() { date +%s%3N; }

work="${BENCH_WORK_DIR:-$(mktemp -d /tmp/shian-bench.XXXXXX)}"
mkdir -p "$work"
results="$work/results.txt"
: > "$results"
server_pid=""
pg_admin="${SHIAN_BENCH_PG_URL:-${SHIAN_TEST_PG_URL:-}}"
created_pg_dbs=()

cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2> /dev/null; then
        kill "$server_pid" 2> /dev/null || true
        wait "$server_pid" 2> /dev/null || true
    fi
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
        for db in "${created_pg_dbs[@]}"; do
            psql -X -q "$pg_admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" > /dev/null 2>&1 || true
        done
        rm -rf "$work"
    else
        log "kept $work ${created_pg_dbs[*]}"
    fi
}
trap cleanup EXIT

# new_db NAME: sets new_db_url to a fresh, empty database. (Not a $(…) function: the list of
# databases to drop on exit must be extended in this shell, not in a subshell.)
new_db() {
    if [[ "$engine" == sqlite ]]; then
        rm -f "$work/$1.db" "$work/$1.db-wal" "$work/$1.db-shm"
        new_db_url="sqlite:$work/$1.db"
    else
        local name="shian_bench_$1_$$"
        psql -X -q -v ON_ERROR_STOP=1 "$pg_admin" \
            -c "CREATE DATABASE $name TEMPLATE template0 ENCODING 'UTF8'" > /dev/null
        created_pg_dbs+=("$name")
        new_db_url="${pg_admin%/*}/$name"
    fi
}

# The sqlite3 / psql argument for a database URL.
shell_db() { if [[ "$engine" == sqlite ]]; then echo "${1#sqlite:}"; else echo "$1"; fi; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- 1. database -------------------------------------------------------------------------------
if [[ -n "${BENCH_REUSE_DB:-}" ]]; then
    db="$BENCH_REUSE_DB"
    log "reusing $db"
    "$shian" migrate --db "$db" > /dev/null
else
    new_db main
    db="$new_db_url"
    log "database $db"
    "$shian" migrate --db "$db" > /dev/null
    gen_start="$(now_ms)"
    "$shian" bench-data --db "$db" --businesses "$count" | tail -n 1 >&2
    gen_ms=$(($(now_ms) - gen_start))
    log "generated $count businesses in $((gen_ms / 1000)) s"
    if [[ "$engine" == postgres ]]; then
        # What autovacuum does on its own a little later: statistics and the visibility map.
        psql -X -q "$db" -c "VACUUM ANALYZE" > /dev/null
    fi
fi
"$shian" user add --db "$db" --username bench --password "$password" --role office \
    --region "$county" --name "性能测试" > /dev/null 2>&1 || true   # exists when reused
max_id="$(if [[ "$engine" == sqlite ]]; then sqlite3 "$(shell_db "$db")" "SELECT max(id) FROM business"; \
          else psql -X -A -t "$db" -c "SELECT max(id) FROM business"; fi)"
total_rows="$(if [[ "$engine" == sqlite ]]; then sqlite3 "$(shell_db "$db")" "SELECT count(*) FROM business"; \
              else psql -X -A -t "$db" -c "SELECT count(*) FROM business"; fi)"
townships="$(awk -F, '$3 == "township" { printf "%s%s", sep, $1; sep = "," }' "$root/data/regions/$county.csv")"
villages="$(awk -F, '$3 == "village" { printf "%s%s", sep, $1; sep = "," }' "$root/data/regions/$county.csv")"
db_size="$(if [[ "$engine" == sqlite ]]; then du -sh "$(shell_db "$db")" | cut -f1; \
           else psql -X -A -t "$db" -c "SELECT pg_size_pretty(pg_database_size(current_database()))"; fi)"
log "$total_rows businesses (max id $max_id), database size $db_size"

# ---- 2./3. server ------------------------------------------------------------------------------
port="$(free_port)"
serve_args=(serve --db "$db" --port "$port")
[[ -n "${BENCH_SERVER_THREADS:-}" ]] && serve_args+=(--threads "$BENCH_SERVER_THREADS")
[[ -n "${BENCH_ACTIVE_REQUESTS:-}" ]] && serve_args+=(--active-requests "$BENCH_ACTIVE_REQUESTS")
start="$(now_ms)"
"$shian" "${serve_args[@]}" > "$work/server.log" 2>&1 &
server_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    if ! kill -0 "$server_pid" 2> /dev/null; then
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.005
done
startup_ms=$(($(now_ms) - start))
log "server pid $server_pid on port $port, up in $startup_ms ms"

# login PORT: prints a Bearer token of the bench user.
login() {
    curl -sf -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench\",\"password\":\"$password\"}" \
        "http://127.0.0.1:$1/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
token="$(login "$port")"
rss_idle_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")"

export BENCH_TOKEN="$token" BENCH_TOWNSHIPS="$townships" BENCH_VILLAGES="$villages" BENCH_MAX_ID="$max_id" BENCH_DIR="$root/bench"

# run_wrk SCENARIO CONNECTIONS DURATION: prints the RESULT line of bench/lua/common.lua.
run_wrk() {
    local threads="$wrk_threads"
    [[ "$2" -lt "$threads" ]] && threads="$2"
    wrk -t "$threads" -c "$2" -d "$3" --latency --timeout 10s -s "$root/bench/lua/$1.lua" \
        "http://127.0.0.1:$port" > "$work/wrk-$1-c$2.txt" 2>&1 || { cat "$work/wrk-$1-c$2.txt" >&2; return 1; }
    grep '^RESULT' "$work/wrk-$1-c$2.txt"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

# CPU clock ticks (utime + stime) used so far by the server, and by all postgres processes
# (the backends serving it); their growth per request is independent of other load on the
# machine, unlike latency.
ticks_of_pid() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_of_postgres() {
    local total=0 f
    for f in /proc/[0-9]*/stat; do
        read -r line < "$f" 2> /dev/null || continue
        [[ "$line" == *"(postgres)"* ]] || continue
        set -- ${line#*) }
        # utime + stime, and cutime + cstime: the postmaster's reaped backends (exited
        # connections) count there, so the sum only grows.
        total=$((total + ${12} + ${13} + ${14} + ${15}))
    done
    echo "$total"
}
clk_tck="$(getconf CLK_TCK)"

# Requests still running when wrk stops (a slow build of the server) would eat into the next
# scenario: wait until the server has used no CPU for a second (at most 5 minutes).
wait_idle() {
    local before after i
    for ((i = 0; i < 300; i++)); do
        before="$(ticks_of_pid "$server_pid")"
        sleep 1
        after="$(ticks_of_pid "$server_pid")"
        [[ "$after" == "$before" ]] && return 0
    done
    log "server still busy after 5 minutes"
}

declare -A c16 c1 cpu_server cpu_db loads
for s in $scenarios; do
    wait_idle
    # One short warm-up so every scenario starts with the same (warm) page cache.
    run_wrk "$s" "$connections" "$warmup" > /dev/null
    load_before="$(cut -d' ' -f1 /proc/loadavg)"
    t_server="$(ticks_of_pid "$server_pid")"
    t_pg="$([[ $engine == postgres ]] && ticks_of_postgres || echo 0)"
    c16[$s]="$(run_wrk "$s" "$connections" "$duration")"
    reqs="$(field requests "${c16[$s]}")"
    cpu_server[$s]=$(( ($(ticks_of_pid "$server_pid") - t_server) * 1000000 / clk_tck / (reqs > 0 ? reqs : 1) ))
    if [[ "$engine" == postgres ]]; then
        cpu_db[$s]=$(( ($(ticks_of_postgres) - t_pg) * 1000000 / clk_tck / (reqs > 0 ? reqs : 1) ))
    fi
    loads[$s]="$load_before"
    wait_idle
    c1[$s]="$(run_wrk "$s" 1 "$duration_c1")"
    log "$s: c$connections ${c16[$s]#RESULT } | c1 p50 $(field p50_ms "${c1[$s]}") ms | cpu/req server ${cpu_server[$s]} us db ${cpu_db[$s]:--} us (load $load_before)"
done
rss_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")"
hwm_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")"
kill "$server_pid"
wait "$server_pid" 2> /dev/null || true
server_pid=""

# ---- 4. floor ----------------------------------------------------------------------------------
declare -A floor
if [[ "${BENCH_SKIP_FLOOR:-0}" != 1 ]]; then
    while read -r tag name rest; do
        [[ "$tag" == FLOOR ]] || continue
        # "search2 (火锅) 12.3" -> key search2, keep the worst word per scenario
        ms="${rest##* }"
        key="$name"
        if [[ -z "${floor[$key]:-}" ]] || awk -v a="$ms" -v b="${floor[$key]}" 'BEGIN { exit !(a > b) }'; then
            floor[$key]="$ms"
        fi
    done < <(python3 "$root/bench/floor.py" "$engine" "$(shell_db "$db")" --township "${county}001" \
                 --detail-id "$((max_id / 2 + 1))" | tee "$work/floor.txt")
fi

# ---- 5. import ---------------------------------------------------------------------------------
import_line="skipped"
import_wall_rps=""
if [[ "${BENCH_SKIP_IMPORT:-0}" != 1 ]]; then
    "$shian" export businesses --db "$db" "$work/all.csv" > /dev/null
    head -n "$((import_rows + 1))" "$work/all.csv" > "$work/import.csv"
    rm -f "$work/all.csv"
    new_db import
    import_db="$new_db_url"
    "$shian" migrate --db "$import_db" > /dev/null
    t_pg="$([[ $engine == postgres ]] && ticks_of_postgres || echo 0)"
    t0="$(now_ms)"
    import_line="$(/usr/bin/time -f '%U %S' -o "$work/import.time" "$shian" import businesses --db "$import_db" "$work/import.csv")"
    import_ms=$(($(now_ms) - t0))
    import_wall_rps=$((import_rows * 1000 / (import_ms > 0 ? import_ms : 1)))
    import_cpu="$(awk '{ printf "%.2f", $1 + $2 }' "$work/import.time")"
    import_db_cpu="$([[ $engine == postgres ]] && awk -v t="$(( $(ticks_of_postgres) - t_pg ))" -v h="$clk_tck" 'BEGIN { printf "%.2f", t / h }' || echo 0)"
    log "import: $import_line (wall $import_ms ms incl. process start; cpu shian $import_cpu s, postgres $import_db_cpu s)"

    # The same file uploaded to `shian serve` (another fresh database): the request's time and
    # the server's peak memory (the RSS target holds for the server, imports included).
    new_db http_import
    http_import_db="$new_db_url"
    "$shian" migrate --db "$http_import_db" > /dev/null
    "$shian" user add --db "$http_import_db" --username bench --password "$password" --role office \
        --region "$county" --name "性能测试" > /dev/null
    import_port="$(free_port)"
    "$shian" serve --db "$http_import_db" --port "$import_port" > "$work/import-server.log" 2>&1 &
    server_pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$import_port/healthz"; do
        kill -0 "$server_pid" 2> /dev/null || { cat "$work/import-server.log" >&2; exit 1; }
        sleep 0.005
    done
    import_token="$(login "$import_port")"
    import_hwm_before_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")"
    t0="$(now_ms)"
    http_import_code="$(curl -s -o "$work/http-import.json" -w '%{http_code}' -H "Authorization: Bearer $import_token" \
        -F "file=@$work/import.csv" "http://127.0.0.1:$import_port/api/v1/businesses/import")"
    http_import_ms=$(($(now_ms) - t0))
    import_hwm_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")"
    kill "$server_pid"
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
    http_import_line="HTTP $http_import_code in $http_import_ms ms ($((import_rows * 1000 / (http_import_ms > 0 ? http_import_ms : 1))) rows/s), server peak RSS $((import_hwm_before_kb / 1024)) -> $((import_hwm_kb / 1024)) MB"
    log "import over HTTP: $http_import_line: $(head -c 200 "$work/http-import.json")"
fi

c1_p50() {
    if [[ "$(field requests "${c1[$1]}")" == 0 ]]; then echo ">$duration_c1"; else field p50_ms "${c1[$1]}"; fi
}

# ---- 6. table ----------------------------------------------------------------------------------
{
    echo "shian bench: $engine, $total_rows businesses ($db_size), $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem/ { print $2 }') GiB;" \
         "wrk -t$wrk_threads -c$connections -d$duration after a $warmup warm-up (c1: -c1 -d$duration_c1)"
    printf '%-14s %9s %8s %8s %8s %6s %8s %9s %9s %9s %5s\n' scenario "req/s" "p50 ms" "p99 ms" "max ms" \
        errors "c1 p50" "floor ms" "srv us/r" "db us/r" load
    for s in $scenarios; do
        r="${c16[$s]}"
        if [[ "$(field requests "$r")" == 0 ]]; then
            printf '%-14s no request completed within the %s run (wrk timeout 10s)\n' "$s" "$duration"
            continue
        fi
        printf '%-14s %9s %8s %8s %8s %6s %8s %9s %9s %9s %5s\n' "$s" "$(field rps "$r")" "$(field p50_ms "$r")" \
            "$(field p99_ms "$r")" "$(field max_ms "$r")" "$(($(field non2xx "$r") + $(field sockerr "$r")))" \
            "$(c1_p50 "$s")" "${floor[$s]:--}" "${cpu_server[$s]}" "${cpu_db[$s]:--}" "${loads[$s]}"
    done
    echo "start-up (exec -> /healthz 200): $startup_ms ms"
    echo "server RSS: $((rss_idle_kb / 1024)) MB after login, $((rss_kb / 1024)) MB after the runs, peak (VmHWM) $((hwm_kb / 1024)) MB"
    echo "import $import_rows rows: $import_line; wall clock incl. process start ${import_wall_rps:-?} rows/s;" \
         "CPU: shian ${import_cpu:-?} s, postgres ${import_db_cpu:-0} s"
    echo "import $import_rows rows uploaded to shian serve: ${http_import_line:-skipped}"
    if [[ -n "${gen_ms:-}" ]]; then echo "bench-data: $count businesses in $((gen_ms / 1000)) s"; fi
    echo "srv/db us/r = CPU microseconds per request of the shian process / of all postgres processes during the c$connections run;" \
         "load = 1-min load average before the run (other work on the machine)"
    echo "floor = the scenario's SQL in $([[ $engine == sqlite ]] && echo sqlite3 || echo psql), median of 7, one connection (bench/floor.py; worst query word)"
} | tee "$results"
