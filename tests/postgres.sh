# Sourced by tests/run.sh: a private PostgreSQL cluster for the tests, on a free loopback port.
# initdb refuses to run as root, so the cluster belongs to the postgres user.
start_postgres() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/flowruntime-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local as=""
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; as="runuser -u postgres --"; fi
  $as "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null || return 1
  $as "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=300" start >/dev/null || return 1
  export PG_BIN="$bin" PG_DIR PG_PORT
  export FLOWRUNTIME_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  local as=""; [ "$(id -u)" -eq 0 ] && as="runuser -u postgres --"
  $as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
}
