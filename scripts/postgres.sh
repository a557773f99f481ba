# Start a throwaway PostgreSQL 15 server on a loopback port; source this file.
# Sets DATABASE_URL and stops the server (and removes its data) when the shell exits, on
# failure and on a signal too: source it in a subshell to stop it earlier.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# A free port unless one is given, so that several servers can run side by side.
PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PG_DATA=$(mktemp -d /tmp/tagfeed-pg.XXXXXX)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"
}

trap pg_stop EXIT
case $- in
  *i*) ;;
  # In a script, a signal would otherwise end the shell without running the EXIT trap.
  *) trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM ;;
esac
[ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
as_postgres "$PG_BIN/initdb" -D "$PG_DATA/data" -U postgres -A trust -E UTF8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres tagfeed
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/tagfeed"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PG_PORT"
