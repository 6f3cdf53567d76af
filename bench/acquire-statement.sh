#!/usr/bin/env bash
# The acquire statement alone, as the service runs it (its generic plan, JIT off), in PostgreSQL: milliseconds per
# execution of the full statement (TaskAcquire.sql) on a channel of throttled tasks and on one of plain tasks, and
# of the plain statement (TaskAcquirePlain.sql) on the plain channel; each execution leases three tasks for three
# requests and is rolled back, so every one sees the same tables.
#   bench/acquire-statement.sh [APP [WORKGROUPS [RUNS]]]
# APP: a packaged service (a quarkus-app directory; default target/quarkus-app, from ./mvnw package), whose
# migrations make the schema and whose statements are measured. WORKGROUPS (default 5000): capped workgroups added
# beside the throttled channel's own, as accounts under ten apps. RUNS (default 200) executions of each.
# The tasks are created through the service's API (20,000 in each channel, the throttled ones in a workgroup with a
# cap and a budget that never bind, as in bench/compare.sh's 1:1000000:1000000), eight of each channel running.
# Needs a JDK 17+, python3 and PostgreSQL server binaries (Debian's, under /usr/lib/postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-target/quarkus-app} WORKGROUPS=${2:-5000} RUNS=${3:-200}
. bench/lib.sh
start_statement_bench crew-acquire acquire
create_limited_and_plain_tasks "$APP" acquire 20000 8
"${PSQL[@]}" -d acquire <<EOF
INSERT INTO workgroup (name, max_running) SELECT 'app-' || a, 100 FROM generate_series(0, 9) a;
INSERT INTO workgroup (name, max_running, parent)
SELECT 'account-' || w, 2, 'app-' || mod(w, 10) FROM generate_series(1, $WORKGROUPS) w;
VACUUM ANALYZE;
EOF

# The statement's text from the service's jar, its named parameters numbered as PREPARE wants them.
prepared() {
  unzip -p "$APP"/app/*.jar "sql/worker/$2.sql" | python3 -c '
import re, sys
s = sys.stdin.read()
for n, name in enumerate(("requests", "channel", "documents", "defaultLeaseSeconds"), 1):
    s = re.sub(r"(?<!:):" + name + r"\b", "$%d" % n, s)
print("PREPARE %s(text, text, boolean, integer) AS %s;" % (sys.argv[1], s))' "$1"
}
REQUESTS='[{"n":0,"worker_id":"a","lim":1},{"n":1,"worker_id":"b","lim":1},{"n":2,"worker_id":"c","lim":1}]'
measure() {
  local name=$1 channel=$2
  { echo "SET plan_cache_mode = force_generic_plan; SET jit = off;"
    prepared acquire_full TaskAcquire; prepared acquire_plain TaskAcquirePlain
    for run in $(seq 1 $((RUNS + 20))); do
      echo "BEGIN; \\timing on"
      echo "EXECUTE $name('$REQUESTS', '$channel', true, 300) \\g /dev/null"
      echo "\\timing off"; echo "ROLLBACK;"
    done
  } | "${PSQL[@]}" -d acquire 2>&1 | tee "$WORK/measure.log" | awk '/^Time:/ { if (++n > 20) { t += $2; c++ } } END { printf "%.3f", t / c }'
}
echo "workgroups: $((WORKGROUPS + 11)); ms per execution (mean of $RUNS, three tasks leased, rolled back):"
echo "  full statement, throttled channel: $(measure acquire_full throttled)"
echo "  full statement, plain channel:     $(measure acquire_full plain)"
echo "  plain statement, plain channel:    $(measure acquire_plain plain)"
grep -m3 ERROR "$WORK/measure.log" >&2 || true
