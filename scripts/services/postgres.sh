#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests on 127.0.0.1 (idempotent: an already running
# one is reused). Installs Debian's postgresql where missing. Password auth (scram) over TCP:
# user flowrun / password flowrun, database flowrun; superuser postgres / postgres.
set -euo pipefail
port=${FLOWRUN_TEST_PG_PORT:-55432}
dir=${FLOWRUN_TEST_PG_DIR:-/tmp/flowrun-test-pg}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
    echo "==> apt-get install postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q 2>/dev/null; then exit 0; fi

mkdir -p "$dir"
chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
    echo postgres > "$dir/pwfile"
    chown postgres "$dir/pwfile"
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi
# fsync off: a test server, thrown away; max_connections for the many-process tests.
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off" >/dev/null
psql_su() { runuser -u postgres -- "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_su -c "select 1 from pg_roles where rolname = 'flowrun'")" != 1 ]; then
    psql_su -c "create role flowrun login createdb createrole password 'flowrun'"
    psql_su -c "create database flowrun owner flowrun"
fi
echo "==> postgres on 127.0.0.1:$port" >&2
