#!/usr/bin/env bash
# Soak: the packaged service under churn for N minutes at half its peak, sampled every minute; PASS/FAIL on
# flatness (docs/reliability.md, "Soak").
#   bench/soak/run.sh [--minutes 60] [--out DIR] [--rate TASKS_PER_S] [--sample-seconds 60] [--clean-batch N]
#
# Starts its own PostgreSQL (Debian's server binaries under /usr/lib/postgresql, installed with apt-get when missing;
# run as postgres when the script runs as root) with its default settings but for the connections, and the packaged
# service (built incrementally unless CREW_BENCH_APP names another build) with the cleaner deleting groups older
# than max(2, minutes / 12) minutes every 30 s (CREW_CLEAN_BATCH_SIZE: the service's default, or --clean-batch).
# bench/soak/Soak.java first measures the peak (creators unpaced for 90 s, on a service and database of its own),
# then, on a fresh service and database, creates at half of it (--rate sets it instead, --fraction another share),
# samples every --sample-seconds (60) and writes soak.csv, soak-relations.csv and soak-result.txt to --out (default
# target/soak); bench/soak/plot.py draws soak.png from them (python3-matplotlib, installed with apt-get when
# missing). Exit code 0 when every criterion passes, 1 otherwise. The service's log is left in --out/service.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES=60; OUT=target/soak; EXTRA=(); CLEAN_BATCH=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --clean-batch) CLEAN_BATCH=$2; shift 2 ;;
    --rate|--sample-seconds|--workers|--calibrate-seconds|--fraction) EXTRA+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
  echo "Installing PostgreSQL server packages..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
# The plot's Python: python3 when it has matplotlib, else Debian's (a python3 of pyenv or a venv does not see
# Debian's python3-matplotlib).
PLOT_PY=python3
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  PLOT_PY=/usr/bin/python3
  if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
    echo "Installing python3-matplotlib..." >&2
    (apt-get update -qq && apt-get install -y -qq python3-matplotlib) >&2 || echo "no matplotlib: no plot" >&2
  fi
fi
PG=$(pg_bin)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ -z "${CREW_BENCH_APP:-}" ]; then
  ./mvnw -q -B package -DskipTests >&2
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/crew-soak.XXXXXX)
chmod 755 "$WORK"
cp -r "${CREW_BENCH_APP:-target/quarkus-app}" "$WORK/app"
PGDATA="$WORK/pgdata"; mkdir -p "$PGDATA"
PGPORT=$(free_port)
AS_PG=()
if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK"; AS_PG=(runuser -u postgres --); fi
SERVICE_PID=""
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  cp "$WORK/service.log" "$OUT/service.log" 2>/dev/null || true
  "${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PG/initdb" -D "$PGDATA" -U postgres -A trust >/dev/null
"${AS_PG[@]}" "$PG/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w start -o "-p $PGPORT -k $WORK \
  -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null
psql_() { "$PG/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qc "$1" postgres; }

RETENTION=$(( MINUTES / 12 > 2 ? MINUTES / 12 : 2 ))
JAVA_OPTS=${CREW_BENCH_JAVA_OPTS:-"-Xmx160m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"}
# Starts the packaged service on database $1 and waits until it is ready: sets SERVICE_PID, HTTP_PORT.
start_service() {
  HTTP_PORT=$(free_port)
  env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/$1" QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=postgres PORT=$HTTP_PORT QUARKUS_LOG_LEVEL=WARN \
    CREW_EXPIRED_GROUP_AGE=${RETENTION}m CREW_CLEAN_INTERVAL=30s ${CLEAN_BATCH:+CREW_CLEAN_BATCH_SIZE=$CLEAN_BATCH} \
    java $JAVA_OPTS -jar "$WORK/app/quarkus-run.jar" >> "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the service did not get ready; its log:" >&2; cat "$WORK/service.log" >&2; return 1
}
stop_service() { kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""; }
SOAK=(java bench/soak/Soak.java --pg-bin "$PG" --pg-port "$PGPORT" --minutes "$MINUTES" --out "$OUT")

# Phase 1: the peak, on a service and database of its own (its burst would leave the soak's tables and indexes
# larger than the churn needs, hiding growth). Skipped with --rate.
PEAK=()
if [[ " ${EXTRA[*]:-} " != *" --rate "* ]]; then
  psql_ "CREATE DATABASE crew_peak"
  start_service crew_peak
  P=$("${SOAK[@]}" --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" --db crew_peak --calibrate-only true \
      ${EXTRA[@]+"${EXTRA[@]}"})
  stop_service
  psql_ "DROP DATABASE crew_peak"
  psql_ "CHECKPOINT"
  FRACTION=0.5
  for ((i = 0; i < ${#EXTRA[@]}; i += 2)); do [ "${EXTRA[i]}" = --fraction ] && FRACTION=${EXTRA[i+1]}; done
  PEAK=(--peak "$P" --rate "$(python3 -c "print(round($P * $FRACTION, 1))")")
fi

# Phase 2: the soak, on a fresh service and database.
psql_ "CREATE DATABASE crew"
start_service crew
echo "soak: $MINUTES minutes, retention ${RETENTION}m, ${PEAK[*]:-}, results in $OUT" >&2
STATUS=0
"${SOAK[@]}" --url "http://127.0.0.1:$HTTP_PORT/" --pid "$SERVICE_PID" --db crew ${EXTRA[@]+"${EXTRA[@]}"} \
  ${PEAK[@]+"${PEAK[@]}"} || STATUS=$?
"$PLOT_PY" bench/soak/plot.py "$OUT" || echo "no plot drawn" >&2
exit $STATUS
