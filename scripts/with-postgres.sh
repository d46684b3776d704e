#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server on 127.0.0.1 and GARANT_TEST_DATABASE_URL
# pointing at it, so the store tests run on PostgreSQL as well as SQLite. Without PostgreSQL
# binaries (or without root to run them as the postgres user) the command runs on SQLite only.
set -uo pipefail
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
if [ -n "${GARANT_TEST_DATABASE_URL:-}" ] || [ -z "$initdb" ]; then
  [ -z "$initdb" ] && [ -z "${GARANT_TEST_DATABASE_URL:-}" ] && \
    echo "garant: PostgreSQL absent — tests PostgreSQL ignorés (SQLite seulement)." >&2
  exec "$@"
fi
bindir=$(dirname "$initdb")
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
data=$(mktemp -d /tmp/garant-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[ "$(id -u)" = 0 ] && chown postgres "$data"
cleanup() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1; rm -rf "$data"; }
trap cleanup EXIT
"${as_pg[@]}" "$bindir/initdb" -D "$data/db" -U garant --auth=trust -E UTF8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$data/db" -o "-h 127.0.0.1 -p $port -k $data" -l "$data/log" -w start >/dev/null
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U garant garant_test
export GARANT_TEST_DATABASE_URL="postgresql+psycopg://garant@127.0.0.1:$port/garant_test"
echo "garant: PostgreSQL de test sur 127.0.0.1:$port" >&2
"$@"
