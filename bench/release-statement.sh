#!/usr/bin/env bash
# The common release alone, as the service runs it (TaskCompleteSimpleMany.sql on its generic plan, JIT off), in
# PostgreSQL: milliseconds per execution, with its commit, releasing tasks of a workgroup with a cap and a budget
# that never bind (as in bench/compare.sh's 1:1000000:1000000) and plain tasks, one and three tasks per statement;
# then the same with the workgroup under an app with a cap (an ad account under its app). Medians of each series.
#   bench/release-statement.sh [APP [TASKS]]
# APP: a packaged service (a quarkus-app directory; default target/quarkus-app, from ./mvnw package), whose
# migrations make the schema and whose statement is measured. TASKS (default 12000) per channel, created through
# the service's API; each series leases 240 of them (one UPDATE) and releases them.
# Needs a JDK 17+, python3 and PostgreSQL server binaries (Debian's, under /usr/lib/postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-target/quarkus-app} TASKS=${2:-12000}
. bench/lib.sh
start_statement_bench crew-release release
create_limited_and_plain_tasks "$APP" release "$TASKS" 0

# Leases 240 ready tasks of a channel to worker w, then releases them BATCH at a time, each statement alone in its
# transaction; prints the median of the statements after the first 20 (ms).
measure() {
  local channel=$1 batch=$2 ids
  "${PSQL[@]}" -d release -c "VACUUM ANALYZE" >/dev/null
  ids=$("${PSQL[@]}" -d release -At -c "UPDATE task SET state = 'running', assigned_to = 'w', assigned_at = now(),
      lease_expires_at = now() + interval '1 hour', attempt = attempt + 1
    WHERE id IN (SELECT id FROM task WHERE channel = '$channel' AND state = 'ready' ORDER BY seq LIMIT 240)
    RETURNING id")
  { echo "SET plan_cache_mode = force_generic_plan; SET jit = off;"
    unzip -p "$APP"/app/*.jar sql/worker/TaskCompleteSimpleMany.sql | python3 -c '
import re, sys
print("PREPARE rel(text) AS %s;" % re.sub(r"(?<!:):releases\b", "$1", sys.stdin.read()))'
    echo "\\timing on"
    echo "$ids" | python3 -c '
import sys
ids, b = sys.stdin.read().split(), int(sys.argv[1])
for i in range(0, len(ids) - b + 1, b):
    items = ",".join("{\"id\":\"%s\",\"worker_id\":\"w\",\"attempt\":1,\"output\":{\"ok\":1},\"document\":false}" % x
                     for x in ids[i:i + b])
    print("EXECUTE rel(\x27[%s]\x27) \\g /dev/null" % items)' "$batch"
  } | "${PSQL[@]}" -d release 2>&1 | tee "$WORK/measure.log" | awk '/^Time:/ { if (++n > 20) print $2 }' | sort -n \
    | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'
}
echo "ms per release statement with its commit (median), tasks of a capped workgroup against plain tasks:"
for shape in "one workgroup" "an account under an app"; do
  if [ "$shape" != "one workgroup" ]; then
    "${PSQL[@]}" -d release -c "INSERT INTO workgroup (name, max_running) VALUES ('app', 1000000)" \
      -c "UPDATE workgroup SET parent = 'app' WHERE name = 'wg'" >/dev/null
  fi
  for batch in 1 3; do
    echo "  $shape, $batch per statement: throttled $(measure throttled $batch), plain $(measure plain $batch)"
  done
done
grep -m3 ERROR "$WORK/measure.log" >&2 || true
