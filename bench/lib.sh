# Shared by the side-by-side benchmark scripts (sourced): a PostgreSQL server of their own under $WORK/pg and the
# packaged service against one of its databases. Needs PostgreSQL server binaries (Debian's, under
# /usr/lib/postgresql; run as postgres when the script runs as root) and python3.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
AS_PG=()  # PostgreSQL refuses to run as root

# A TCP port free on 127.0.0.1 now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Creates and starts the server under $WORK/pg with the given extra server options; sets PG_PORT and POSTMASTER.
start_postgres() {
  if [ "$(id -u)" = 0 ]; then mkdir "$WORK/pg"; chown postgres "$WORK" "$WORK/pg"; AS_PG=(runuser -u postgres --); fi
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust >/dev/null
  PG_PORT=$(free_port)
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -o "-p $PG_PORT -k $WORK $*" -w start >/dev/null
  POSTMASTER=$(head -1 "$WORK/pg/postmaster.pid")
}

# Stops the server, if it was started (for the scripts' exit traps).
stop_postgres() {
  [ -f "$WORK/pg/postmaster.pid" ] && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1
  return 0
}

# Starts the packaged service APP (a quarkus-app directory) on database DATABASE, logging to LOG, and waits until it
# is healthy; sets SERVICE_PORT and SERVICE_PID.
start_service() {
  local app=$1 database=$2 log=$3
  SERVICE_PORT=$(free_port)
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$database" QUARKUS_DATASOURCE_USERNAME=postgres \
    PORT=$SERVICE_PORT java -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$SERVICE_PORT/healthz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  kill "$SERVICE_PID" 2>/dev/null
  cat "$log" >&2
  return 1
}
