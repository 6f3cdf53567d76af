#!/usr/bin/env bash
# Benchmark harness: builds the service, starts its own PostgreSQL and the packaged service, drives it with
# concurrent HTTP workers, measures the database ceiling with pgbench on the same server, prints one JSON document.
#   bench/run.sh           full run (1,000,000-task backlog; about 2 minutes on 2 cores, plus the build)
#   bench/run.sh --quick   small sizes (under a minute; too short to judge the targets)
# Needs a JDK 17+ and PostgreSQL server binaries with pgbench (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/pgbench" ]; then
  echo "Installing PostgreSQL server packages..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq postgresql postgresql-contrib >&2
fi
PG=$(pg_bin)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -q -B package -DskipTests >&2
fi

WORK=$(mktemp -d /tmp/crew-bench.XXXXXX)
chmod 755 "$WORK"
PGDATA="$WORK/pgdata"; mkdir -p "$PGDATA"
PGPORT=$(free_port); HTTP_PORT=$(free_port)
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK"; AS_PG=(runuser -u postgres --); fi
SERVICE_PID=""
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  "${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PG/initdb" -D "$PGDATA" -U postgres -A trust >/dev/null
"${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w start -o "-p $PGPORT -k $WORK \
  -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c autovacuum_naptime=10s" >/dev/null
"$PG/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE crew" postgres

JAVA_OPTS=${CREW_BENCH_JAVA_OPTS:-"-Xmx160m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"}
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/crew" QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_LOG_LEVEL=WARN \
  java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

java bench/Bench.java --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" --pg-bin "$PG" \
  --pg-port "$PGPORT" --java-opts "$JAVA_OPTS" ${MODE:+"$MODE"}
