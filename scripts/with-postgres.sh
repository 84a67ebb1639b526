#!/usr/bin/env bash
# with-postgres.sh: runs a command against a throwaway PostgreSQL 15 server.
#
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster on 127.0.0.1 (a free port, trust auth, fsync off), creates the
# superuser role `shian` and the database `shian_test` (UTF8, template0), exports
#   SHIAN_TEST_PG_URL=postgresql://shian@127.0.0.1:PORT/shian_test
# runs CMD, then stops the server and deletes its data directory (also on failure or
# Ctrl-C). Exits with CMD's exit status.
#
# Per-test databases: tests connect to SHIAN_TEST_PG_URL as the superuser `shian` and run
# CREATE DATABASE / DROP DATABASE ... WITH (FORCE) themselves; server/src/shian/storage/
# test_database.cpp (OpenTestDatabase) does exactly that, one fresh database per test.
#
# Installs postgresql-15 with apt-get when it is missing (root only, meant for fresh CI
# machines). initdb and postgres refuse to run as root, so as root the server runs as the
# `postgres` system user; otherwise as the invoking user.
# Environment: SHIAN_PG_BIN (default /usr/lib/postgresql/15/bin), SHIAN_PG_TMPDIR
# (parent of the temporary directory; default /dev/shm when it has 1 GiB free, else /tmp),
# SHIAN_PG_CONF (extra postgresql.conf lines, e.g. "shared_buffers = 3GB" for benchmarks).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

pg_bin="${SHIAN_PG_BIN:-/usr/lib/postgresql/15/bin}"

log() { echo "with-postgres: $*" >&2; }

install_postgres() {
    if [[ $EUID -ne 0 ]]; then
        log "PostgreSQL 15 not found in $pg_bin; install it with: apt-get install postgresql-15"
        exit 1
    fi
    log "installing postgresql-15"
    # No default cluster: it would start a stray server on port 5432.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/shian.conf
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q postgresql-15 >&2; then
        apt-get update -q >&2
        apt-get install -y -q postgresql-15 >&2
    fi
}

if [[ ! -x "$pg_bin/postgres" ]]; then
    install_postgres
fi

as_server_user=()
if [[ $EUID -eq 0 ]]; then
    if ! id postgres > /dev/null 2>&1; then
        log "running as root but there is no 'postgres' system user to run the server"
        exit 1
    fi
    as_server_user=(runuser -u postgres --)
fi

# tmpfs makes CREATE DATABASE per test ~10x faster than a disk; Docker's default 64 MB
# /dev/shm is too small, so it needs 1 GiB free.
pick_tmp_parent() {
    local free_kb
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        free_kb="$(df -Pk /dev/shm 2> /dev/null | awk 'NR == 2 { print $4 }')"
        if [[ "${free_kb:-0}" -ge 1048576 ]]; then
            echo /dev/shm
            return
        fi
    fi
    echo /tmp
}

tmp_dir="$(mktemp -d "${SHIAN_PG_TMPDIR:-$(pick_tmp_parent)}/shian-pg.XXXXXX")"
data_dir="$tmp_dir/data"
server_log="$tmp_dir/server.log"
server_started=0

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
    if [[ $server_started -eq 1 ]]; then
        "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop \
            > /dev/null 2>&1 || true
    fi
    rm -rf "$tmp_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ $EUID -eq 0 ]]; then
    chown postgres: "$tmp_dir"
fi
chmod 700 "$tmp_dir"

pick_port() {
    if command -v python3 > /dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
        return
    fi
    local port
    for ((port = 55432; port < 56432; port++)); do
        if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
            echo "$port"
            return
        fi
    done
    log "no free port found in 55432..56431"
    exit 1
}

run_initdb() {
    "${as_server_user[@]}" "$pg_bin/initdb" -D "$data_dir" -U shian --auth=trust \
        --encoding=UTF8 --locale="$1" --no-sync --no-instructions > "$tmp_dir/initdb.log" 2>&1
}

if ! run_initdb C.UTF-8; then
    "${as_server_user[@]}" rm -rf "$data_dir"
    if ! run_initdb C; then
        log "initdb failed:"
        cat "$tmp_dir/initdb.log" >&2
        exit 1
    fi
fi

port="$(pick_port)"
cat >> "$data_dir/postgresql.conf" << EOF

# Throwaway test server (scripts/with-postgres.sh): speed over durability.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$tmp_dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
${SHIAN_PG_CONF:-}
EOF

if ! "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$server_log" -w -t 30 start \
        > /dev/null; then
    log "server failed to start:"
    cat "$server_log" >&2 || true
    exit 1
fi
server_started=1

for ((i = 0; i < 60; i++)); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U shian -d postgres; then
        break
    fi
    if [[ $i -eq 59 ]]; then
        log "server not ready after 30 s:"
        cat "$server_log" >&2 || true
        exit 1
    fi
    sleep 0.5
done

"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U shian -d postgres \
    -c "CREATE DATABASE shian_test OWNER shian TEMPLATE template0 ENCODING 'UTF8'" > /dev/null

export SHIAN_TEST_PG_URL="postgresql://shian@127.0.0.1:$port/shian_test"
log "PostgreSQL 15 on 127.0.0.1:$port (data in $tmp_dir): SHIAN_TEST_PG_URL=$SHIAN_TEST_PG_URL"

status=0
"$@" || status=$?
exit "$status"
