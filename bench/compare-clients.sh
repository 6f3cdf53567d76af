#!/usr/bin/env bash
# Two builds of the JVM worker client (clients/java) side by side against one service: builds the client of each
# commit and the service of AFTER (in temporary worktrees), starts a PostgreSQL server of its own and the service,
# then alternates bench/ClientRounds.java with one client and the other (each JVM a warm-up round, then one
# measured round), so that whatever else the machine does falls on both. Prints each round and the medians per
# client; "workers" is the client's own CPU per task.
#   bench/compare-clients.sh BEFORE AFTER [WORKERS SECONDS ROUNDS] [-- java options for ClientRounds, e.g. -Dbatch=10]
# BEFORE and AFTER are commits (or "." for the working tree); CREW_COMPARE_APP=DIR runs that packaged service
# (a quarkus-app directory) instead of building AFTER's. Needs a JDK 17+ and PostgreSQL server binaries
# (Debian's, under /usr/lib/postgresql; run as postgres when this runs as root).
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

WORK=$(mktemp -d /tmp/crew-compare-clients.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres
  for tree in "$WORK"/tree-*; do [ -d "$tree" ] && git -C "$ROOT" worktree remove --force "$tree" >/dev/null 2>&1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The source tree of a commit ("." is this one).
tree() {
  local commit=$1 name=$2
  if [ "$commit" = "." ]; then echo "$ROOT"; return; fi
  git -C "$ROOT" worktree add --detach "$WORK/tree-$name" "$(git rev-parse "$commit^{commit}")" >/dev/null 2>&1
  echo "$WORK/tree-$name"
}
for name in before after; do
  commit=$([ $name = before ] && echo "$BEFORE" || echo "$AFTER")
  src=$(tree "$commit" "$name")
  echo "Building the client of $commit ($name)..." >&2
  (cd "$src" && ./mvnw -q -B -ntp -f clients/java/pom.xml package -Dmaven.test.skip=true >&2)
  mkdir -p "$WORK/client-$name" && cp -r "$src/clients/java/target/crew-worker.jar" "$src/clients/java/target/lib" \
    "$WORK/client-$name/"
  if [ $name = after ] && [ -n "${CREW_COMPARE_APP:-}" ]; then
    cp -r "$CREW_COMPARE_APP" "$WORK/app"
  elif [ $name = after ]; then
    echo "Building the service of $commit..." >&2
    (cd "$src" && ./mvnw -q -B -ntp package -Dmaven.test.skip=true >&2)
    cp -r "$src/target/quarkus-app" "$WORK/app"
  fi
done

start_postgres -c max_connections=200
"$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE crew" >/dev/null
start_service "$WORK/app" crew "$WORK/service.log"
PIDS+=("$SERVICE_PID")

for round in $(seq 1 "$ROUNDS"); do
  for name in before after; do
    java -cp "$WORK/client-$name/crew-worker.jar" "${JAVA_OPTS[@]}" "$ROOT/bench/ClientRounds.java" "$POSTMASTER" \
      "$WORKERS" "$SECONDS_PER_ROUND" 1 "http://127.0.0.1:$SERVICE_PORT=$SERVICE_PID" "$name" | grep -v 'round -1' \
      | tee -a "$WORK/rounds.txt"
  done
done
for name in before after; do
  grep "^$name round" "$WORK/rounds.txt" | python3 -c '
import re, sys, statistics
rows = [list(map(float, re.findall(r"(\d+) tasks/s, CPU us/task: database (\d+), service (\d+), workers (\d+)", l)[0])) for l in sys.stdin]
m = [statistics.median(c) for c in zip(*rows)]
print("median %s: %.0f tasks/s, CPU us/task: database %.0f, service %.0f, workers %.0f" % (sys.argv[1], *m))' "$name"
done
