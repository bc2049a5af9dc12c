#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL server: a temporary folder, a free port, initdb and pg_ctl.
# Installs Debian's postgresql when the server binaries are missing. Exports SKILLBITE_TEST_POSTGRES_URL
# (a superuser URL to the `postgres` database) for the command, and always stops the server afterwards.
set -euo pipefail

find_pg_bin() {
  local dir
  for dir in "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! PG_BIN=$(find_pg_bin); then
  echo "with-postgres: PostgreSQL server binaries not found; installing Debian's postgresql" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "with-postgres: run as root (or install postgresql) to continue" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q postgresql >/dev/null
  PG_BIN=$(find_pg_bin)
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
PGTMP=$(mktemp -d /tmp/skillbite-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: run the server as the postgres user (created when missing).
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGTMP" postgres
  chown postgres "$PGTMP"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; exit 1; }
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$PGTMP/server.log" >&2; exit 1; }

export SKILLBITE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT ($PGTMP)"
set +e
"$@"
status=$?
set -e
exit $status
