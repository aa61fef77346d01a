#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server.
#
#   tests/pg/with_postgres.sh CMD [ARG...]
#
# Makes a temporary directory, initdb's a cluster in it and starts it with
# pg_ctl listening only on a Unix socket in that directory (never on TCP),
# creates the database "gongkai", exports
#   GONGKAI_TEST_PG_URL=postgresql:///gongkai?host=DIR
# and runs CMD. The server is stopped and the directory removed however CMD
# ends; the script exits with CMD's status.
#
# PostgreSQL refuses to run as root: run as root, the server runs as the
# system user gongkai-pg (made with useradd when missing), which owns the
# directory; CMD itself still runs as the caller.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl createdb; do
  if [ ! -x "$bindir/$tool" ]; then
    echo "with_postgres: $bindir/$tool is missing; install Debian's postgresql package" >&2
    exit 2
  fi
done

# Short: the socket path ($dir/.s.PGSQL.5432) must fit in 107 bytes.
dir=$(mktemp -d /tmp/gkpg.XXXXXX)
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u gongkai-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin gongkai-pg
  fi
  chown gongkai-pg: "$dir"
  as_server=(runuser -u gongkai-pg --)
fi
chmod 0700 "$dir"

started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U gongkai --auth=trust \
  --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# The socket directory is the temporary one (world-searchable so that CMD,
# run as the caller, reaches it); listen_addresses='' turns TCP off.
chmod 0711 "$dir"
"${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c unix_socket_permissions=0777 -c fsync=off -c max_connections=200" \
  start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}
started=1
"${as_server[@]}" "$bindir/createdb" -h "$dir" -U gongkai gongkai

export GONGKAI_TEST_PG_URL="postgresql:///gongkai?host=$dir&user=gongkai"
set +e
"$@"
status=$?
set -e
exit "$status"
