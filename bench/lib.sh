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

# For the scripts that measure one statement in psql (bench/*-statement.sh): a fresh $WORK named after PREFIX, a
# server of their own in it and DATABASE created there, all removed at exit (with the service, if one still runs);
# sets PSQL, psql's command without a database.
start_statement_bench() {
  local prefix=$1 database=$2
  WORK=$(mktemp -d "/tmp/$prefix.XXXXXX")
  SERVICE_PID=
  trap stop_statement_bench EXIT
  start_postgres
  PSQL=("$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  "${PSQL[@]}" -c "CREATE DATABASE $database" >/dev/null
}

stop_statement_bench() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
  stop_postgres
  rm -rf "$WORK"
}

# Fills DATABASE through the packaged service APP, as users create tasks: a workgroup "wg" with a cap and a budget
# that never bind (bench/compare.sh's 1:1000000:1000000), TASKS tasks in channel "throttled" (in wg) and as many in
# channel "plain" (bulk creations of 1,000), then LEASED of each channel acquired by workers w0, w1, ...; the
# service stops afterwards.
create_limited_and_plain_tasks() {
  local app=$1 database=$2 tasks=$3 leased=$4
  start_service "$app" "$database" "$WORK/service.log"
  python3 - "http://127.0.0.1:$SERVICE_PORT" "$tasks" "$leased" <<'PY'
import sys, requests
base, n, leased = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = requests.put(base + "/api/v1/workgroup/wg", json={"maxRunning": 1000000, "rate": {"limit": 1000000, "periodSeconds": 1}})
assert r.status_code == 200, r.text
for channel, extra in (("throttled", {"workgroup": "wg"}), ("plain", {})):
    group = requests.post(base + "/api/v1/task_groups", json={"name": channel}).json()["_id"]
    for _ in range(n // 1000):
        tasks = [dict(name="t%d" % i, channel=channel, **extra) for i in range(1000)]
        r = requests.post(base + "/api/v1/task_group/%s/tasks/bulk" % group, json={"tasks": tasks})
        assert r.status_code == 200, r.text
    for w in range(leased):
        r = requests.post(base + "/api/v1/channel/%s/acquire" % channel, json={"workerId": "w%d" % w})
        assert r.json().get("task"), r.text
PY
  kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=
}
