#!/usr/bin/env bash
# Two builds of the service side by side: builds each commit's packaged service (in a temporary worktree), starts
# a PostgreSQL server of its own with one database per build, starts both services, and runs
# bench/CompareServices.java against them (rounds alternating between the two, so that whatever else the machine
# does falls on both). Prints CompareServices' lines; the last ones are the medians per service.
#   bench/compare.sh BEFORE AFTER [WORKERS SECONDS ROUNDS] [-- java options for CompareServices, e.g. -Dbatch=10]
#   bench/compare.sh HEAD~1 HEAD 8 10 5 -- -Dcreate=true
# CREW_COMPARE_LIMITS="50:2:0 1:100000:1000000" adds, for the AFTER service, one more target per spec
# (WORKGROUPS:MAX_RUNNING:RATE_PER_SECOND, see CompareServices), to compare workgroup limits with none;
# with CREW_COMPARE_LIMITS_ON=both, for each service (to compare two builds' limits).
# CREW_COMPARE_STATEMENTS=N loads pg_stat_statements (nested statements too: triggers and functions) and prints
# each database's N statements of most execution time at the end.
# BEFORE and AFTER are commits (or "." for the working tree as it is); builds of commits are kept in
# $CREW_COMPARE_CACHE (/tmp/crew-compare-builds). Needs a JDK 17+ and PostgreSQL server binaries (Debian's, under
# /usr/lib/postgresql; run as postgres when this runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. bench/lib.sh
BEFORE=$1 AFTER=$2
shift 2
ARGS=() JAVA_OPTS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do ARGS+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift && JAVA_OPTS=("$@")
WORKERS=${ARGS[0]:-8} SECONDS_PER_ROUND=${ARGS[1]:-10} ROUNDS=${ARGS[2]:-5}

WORK=$(mktemp -d /tmp/crew-compare.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres
  for tree in "$WORK"/tree-*; do [ -d "$tree" ] && git -C "$ROOT" worktree remove --force "$tree" >/dev/null 2>&1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The packaged service of one commit: its quarkus-app directory, kept in $CACHE by commit for the next comparison.
CACHE=${CREW_COMPARE_CACHE:-/tmp/crew-compare-builds}
build() {
  local commit=$1 name=$2 tree sha
  if [ "$commit" = "." ]; then
    echo "Building the working tree ($name)..." >&2
    ./mvnw -q -B -ntp package -Dmaven.test.skip=true >&2
    cp -r target/quarkus-app "$WORK/app-$name"
    return
  fi
  sha=$(git rev-parse "$commit^{commit}")
  if [ ! -d "$CACHE/$sha" ]; then
    tree=$WORK/tree-$name
    git -C "$ROOT" worktree add --detach "$tree" "$sha" >/dev/null 2>&1
    echo "Building $commit ($name)..." >&2
    (cd "$tree" && ./mvnw -q -B -ntp package -Dmaven.test.skip=true >&2)
    mkdir -p "$CACHE" && cp -r "$tree/target/quarkus-app" "$CACHE/$sha"
  fi
  cp -r "$CACHE/$sha" "$WORK/app-$name"
}
build "$BEFORE" before
build "$AFTER" after

STATEMENTS=${CREW_COMPARE_STATEMENTS:-}
start_postgres -c max_connections=200 \
  ${STATEMENTS:+-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all}

TARGETS=()
for name in before after; do
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $name" >/dev/null
  [ -n "$STATEMENTS" ] && "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$name" \
    -c "CREATE EXTENSION pg_stat_statements" >/dev/null
  start_service "$WORK/app-$name" "$name" "$WORK/$name.log"
  PIDS+=("$SERVICE_PID")
  TARGETS+=("http://127.0.0.1:$SERVICE_PORT=$SERVICE_PID")
  echo "$name ($( [ $name = before ] && echo "$BEFORE" || echo "$AFTER")): ${TARGETS[-1]}" >&2
done

LIMITED=("${TARGETS[-1]}")
[ "${CREW_COMPARE_LIMITS_ON:-after}" = both ] && LIMITED=("${TARGETS[@]}")
for limits in ${CREW_COMPARE_LIMITS:-}; do
  for target in "${LIMITED[@]}"; do TARGETS+=("$target=$limits"); done
done
java "${JAVA_OPTS[@]}" bench/CompareServices.java "$POSTMASTER" "$WORKERS" "$SECONDS_PER_ROUND" "$ROUNDS" "${TARGETS[@]}"
if [ -n "$STATEMENTS" ]; then
  for name in before after; do
    echo "== $name: the $STATEMENTS statements of most execution time (ms; per call in µs)"
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$name" -c "
      SELECT round(s.total_exec_time) AS total_ms, s.calls, round(1000 * s.mean_exec_time) AS us_per_call, s.rows,
             left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = '$name' ORDER BY s.total_exec_time DESC LIMIT $STATEMENTS"
  done
fi
