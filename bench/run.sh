#!/usr/bin/env bash
# Benchmark harness: builds the service, starts its own PostgreSQL and the packaged service, drives it with
# concurrent HTTP workers (a raw-socket client, the JDK's HttpClient, Python requests, Crew's JS worker), measures
# the database ceiling with pgbench and pg-boss / graphile-worker on the same server, prints one JSON document.
#   bench/run.sh           full run (1,000,000-task backlog and table; measured 16 min 35 s and 18 min 41 s on
#                          an idle 2-core machine, 27 min with its cores shared with other builds and tests at
#                          load 11-21; plus the build)
#   bench/run.sh --quick   small sizes (measured 2 min 24 s at load 10, 4 min 34 s at load 15; too short to judge
#                          the targets)
#   bench/run.sh --peers   the peers only: phase 3's HttpClient workers at batch 1 and 10 with 32 and 8 of them
#                          against the service, pgbench and pg-boss behind its front (one JSON document), then
#                          bench/peers/run-peers.sh with 20,000 tasks (one JSON line per run: pg-boss's front
#                          driven from node, pg-boss's work(), graphile-worker, Crew's JS worker); 20-30 min
# Needs a JDK 17+ and PostgreSQL server binaries with pgbench (installed with apt-get when missing); python3 with
# requests for the Python client; npm (any node that runs it) for bench/peers, whose `npm ci` brings its own
# Node.js 22 with pg-boss 12, graphile-worker 0.18 and Crew's JS worker (skipped, and said so in the output, when
# that install fails).
#
# Two phases, each with its own service process on its own database of the same PostgreSQL server:
#   1. table sizes: a freshly started service on a freshly created, empty database, as a new user meets it; its
#      first run measures the empty table, the next ones 20k, 200k and 1M completed tasks (bench/Bench.java
#      --phase table-sizes). The database is dropped afterwards.
#   2. live events: bench/EventsOverhead.java on a fresh service and database, rounds with the event triggers
#      off, on with nobody listening, with a stream open, with a socket.io client watching the busy group and with
#      one watching an empty group (throughput, CPU per task of service and database).
#   3. everything else, on a third fresh service and database (bench/Bench.java, merging phases 1 and 2).
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

# Always packaged (incrementally) unless another build is named: a jar left from an older checkout would be
# measured in place of the code at hand.
if [ -z "${CREW_BENCH_APP:-}" ]; then
  ./mvnw -q -B package -DskipTests >&2
fi

WORK=$(mktemp -d /tmp/crew-bench.XXXXXX)
chmod 755 "$WORK"
# The service runs from a copy, so that a build during the run cannot swap its jars under it.
cp -r "${CREW_BENCH_APP:-target/quarkus-app}" "$WORK/app"
PGDATA="$WORK/pgdata"; mkdir -p "$PGDATA"
PGPORT=$(free_port)
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK"; AS_PG=(runuser -u postgres --); fi
SERVICE_PID=""; FRONT_PID=""
stop_pid() { [ -n "$1" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  [ -n "$FRONT_PID" ] && bench/peers/run-peers.sh front-stop "$FRONT_PID" || true
  stop_pid "$SERVICE_PID"
  "${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PG/initdb" -D "$PGDATA" -U postgres -A trust >/dev/null
"${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w start -o "-p $PGPORT -k $WORK \
  -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c autovacuum_naptime=10s" >/dev/null
psql_() { "$PG/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qc "$1" postgres; }
for db in crew_sizes crew_events crew pgboss graphile; do psql_ "CREATE DATABASE $db"; done

JAVA_OPTS=${CREW_BENCH_JAVA_OPTS:-"-Xmx160m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"}
# Starts the packaged service on database $1 and waits (at most 60 s) until it is ready: sets SERVICE_PID, HTTP_PORT.
start_service() {
  HTTP_PORT=$(free_port)
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/$1" QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_LOG_LEVEL=WARN \
    java $JAVA_OPTS -jar "$WORK/app/quarkus-run.jar" > "$WORK/service-$1.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the service did not get ready; its log:" >&2; cat "$WORK/service-$1.log" >&2; return 1
}
# Compiled once for both phases (it also runs as it is: java bench/Bench.java ...).
javac -d "$WORK/classes" bench/Bench.java
BENCH=(java -cp "$WORK/classes" Bench --pg-bin "$PG" --pg-port "$PGPORT" --pg-pid "$(head -1 "$PGDATA/postmaster.pid")"
  --java-opts "$JAVA_OPTS" --work "$WORK")
[ "$MODE" = --quick ] && BENCH+=("$MODE")
STATUS=0

# --peers: the peers next to the service, and nothing else (the table-size and live-event phases are skipped).
if [ "$MODE" = --peers ]; then
  start_service crew
  PEERS_NODE=$(bench/peers/run-peers.sh node)
  read -r FRONT_PORT FRONT_PID < <(FRONT_LOG="$WORK/pgboss-front.log" bench/peers/run-peers.sh front-start "$PGPORT")
  [ -n "${FRONT_PID:-}" ] || { echo "bench/peers/run-peers.sh front-start failed" >&2; exit 1; }
  "${BENCH[@]}" --phase peers --db crew --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" \
    --pgboss-url "http://127.0.0.1:$FRONT_PORT/" --node "$PEERS_NODE" || STATUS=1
  bench/peers/run-peers.sh front-stop "$FRONT_PID"; FRONT_PID=""
  bench/peers/run-peers.sh "$PG" "$PGPORT" --crew-url "http://127.0.0.1:$HTTP_PORT/" || STATUS=1
  exit $STATUS
fi

# Phase 1: table sizes, on a service that has just started against an empty database.
start_service crew_sizes
if ! "${BENCH[@]}" --phase table-sizes --db crew_sizes --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" \
     > "$WORK/table-sizes.json"; then
  echo '{"error": "the table-size phase failed: see its messages above"}' > "$WORK/table-sizes.json"; STATUS=1
fi
stop_pid "$SERVICE_PID"; SERVICE_PID=""
# Its million rows leave neither buffers to write nor tables to autovacuum behind them.
psql_ "DROP DATABASE crew_sizes"
psql_ "CHECKPOINT"

# Phase 2: live events' cost, 8 HttpClient workers in 10 s rounds (4 of each mode; 2 in the quick run).
start_service crew_events
EVENT_ROUNDS=4; [ "$MODE" = --quick ] && EVENT_ROUNDS=2
if ! PATH="$PG:$PATH" java bench/EventsOverhead.java "http://127.0.0.1:$HTTP_PORT" 8 10 "$EVENT_ROUNDS" \
     "host=127.0.0.1 port=$PGPORT user=postgres dbname=crew_events" "$SERVICE_PID" "$(head -1 "$PGDATA/postmaster.pid")" \
     > "$WORK/events.json"; then
  echo '{"error": "the live-events phase failed: see its messages above"}' > "$WORK/events.json"; STATUS=1
fi
stop_pid "$SERVICE_PID"; SERVICE_PID=""
psql_ "DROP DATABASE crew_events"
psql_ "CHECKPOINT"

# Phase 3: everything else, on a fresh service; pg-boss behind its HTTP front on the same PostgreSQL.
start_service crew
PEERS=()
PEERS_NODE=""
if [ -x bench/peers/run-peers.sh ] && PEERS_NODE=$(bench/peers/run-peers.sh node) \
    && read -r FRONT_PORT FRONT_PID < <(FRONT_LOG="$WORK/pgboss-front.log" bench/peers/run-peers.sh front-start "$PGPORT") \
    && [ -n "${FRONT_PID:-}" ] && curl -sf --max-time 5 "http://127.0.0.1:$FRONT_PORT/healthz" >/dev/null; then
  PEERS+=(--pgboss-url "http://127.0.0.1:$FRONT_PORT/")
else
  PEERS+=(--pgboss-skip "bench/peers/run-peers.sh node or front-start failed (npm needed): see its messages above")
  [ -n "${FRONT_PID:-}" ] && bench/peers/run-peers.sh front-stop "$FRONT_PID" || true
  FRONT_PID=""
fi
PEERS+=(--graphile-pg "postgres://postgres@127.0.0.1:$PGPORT/graphile")
# The Node.js 22 of bench/peers runs graphile-worker and Crew's JS worker too.
[ -n "$PEERS_NODE" ] && PEERS+=(--node "$PEERS_NODE")
"${BENCH[@]}" --db crew --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" \
  --table-sizes "$WORK/table-sizes.json" --events-overhead "$WORK/events.json" "${PEERS[@]}" || STATUS=1
exit $STATUS
