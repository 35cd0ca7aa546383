#!/usr/bin/env bash
# Starts or stops a private PostgreSQL server for the tests (Debian's postgresql package; no system service touched).
# Usage: scripts/postgres.sh start DIR PORT | stop DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?data folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed: apt-get install postgresql (see .ci/run)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "'$bin/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --no-locale" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -o \"-p $port -c listen_addresses=127.0.0.1 -k '$dir' -c fsync=on -c max_connections=300\" -w start" >/dev/null
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
