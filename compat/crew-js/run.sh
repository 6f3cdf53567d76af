#!/usr/bin/env bash
# Runs Crew 1.0.25's own worker clients (npm @orchard-insights/crew) against a running service:
#   compat/crew-js/run.sh [http://127.0.0.1:3000/]
# Needs Node.js 18+ and npm. The webhook scenario needs the service to reach this host on CREW_WORKER_PORT.
set -euo pipefail
cd "$(dirname "$0")"
export CREW_URL=${1:-${CREW_URL:-http://127.0.0.1:3000/}}
[ -d node_modules/@orchard-insights/crew ] || npm install --no-audit --no-fund --silent >&2
for scenario in poll hook; do
  echo "== $scenario"
  timeout 60 node "$scenario.js" | grep -E '^(completed|WRONG|TIMEOUT)'
done
