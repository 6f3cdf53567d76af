#!/usr/bin/env node
// pg-boss 12 in process, the way its documentation has workers run: jobs enqueued with insert(name, jobs)
// (chunks of 1,000) on a fresh queue, then one work() with localConcurrency W and batchSize B and a no-op handler
// (pg-boss completes each batch when the handler resolves). The clock runs from work() until no job of the queue
// is left uncompleted (checked every 2 ms on a connection of its own). Prints one JSON line:
//   {"peer":"pg-boss-work","tasks":N,"workers":W,"batch":B,"seconds":S,"tasksPerSecond":R,...}
// Usage: node pgboss-work-bench.js --pg postgres://postgres@127.0.0.1:PORT/pgboss [--tasks 20000] [--workers 32]
//        [--batch 1] [--pool 20] [--timeout 300]
// Exit code 0 when every job ran exactly once and is completed, 2 otherwise, 3 on a time-out.
//
// Settings, and why (pg-boss 12's documentation of work() and of its polling options):
// - Queue: policy "standard", partition: true (a table of its own, as the front's queues: see pgboss-front.js).
// - localConcurrency W: W workers in this process, each fetching and running its own batches.
// - batchSize B: each fetch takes up to B jobs; the handler gets the batch, pg-boss completes it in one statement.
// - Polling: a worker waits pollingIntervalSeconds (0.5 s here, the least it allows; the default is 2 s) between
//   fetches, unless a burst trigger holds: burstWhenBatchFull (fetch again at once while fetches come back full;
//   pg-boss ignores it at batch 1) and burstWhenReadyExceeds 1 (fetch again at once while the queue's cached ready
//   count is above 1: the one trigger that works at batch 1). That count comes from pg-boss's supervisor's
//   monitor pass and its queue cache, every 60 s by default; superviseIntervalSeconds, monitorIntervalSeconds and
//   queueCacheIntervalSeconds are set to 1 s so that a run of seconds sees its backlog. Without a burst trigger a batch-1 worker does at most two jobs a
//   second.
// - pg pool of --pool connections (default 20, as the front). Maintenance and scheduling keep their defaults.
'use strict'
const { PgBoss } = require('pg-boss')
const { Client } = require('pg')

function parseArgs (argv) {
  const opts = { pg: null, tasks: 20000, workers: 32, batch: 1, pool: 20, timeout: 300 }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts)) throw new Error('unknown option ' + argv[i])
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + argv[i - 1])
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value
  }
  if (!opts.pg) throw new Error('--pg postgres://user@host:port/db is required')
  return opts
}

const opts = parseArgs(process.argv.slice(2))
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function main () {
  const deadline = Date.now() + opts.timeout * 1000
  const boss = new PgBoss({
    connectionString: opts.pg,
    max: opts.pool,
    application_name: 'pgboss-work-bench',
    superviseIntervalSeconds: 1,
    monitorIntervalSeconds: 1,
    queueCacheIntervalSeconds: 1
  })
  boss.on('error', e => console.error('pgboss-work-bench:', e.message))
  await boss.start()
  const name = 'work_' + Date.now().toString(36) + '_' + process.pid
  await boss.createQueue(name, { policy: 'standard', partition: true })
  for (let from = 0; from < opts.tasks; from += 1000) {
    const jobs = []
    for (let i = from; i < Math.min(opts.tasks, from + 1000); i++) jobs.push({ data: { n: i } })
    await boss.insert(name, jobs)
  }
  const { table } = await boss.getQueue(name)
  const check = new Client({ connectionString: opts.pg })
  await check.connect()
  const left = async () => Number((await check.query(
    `SELECT count(*) AS n FROM pgboss.${table} WHERE name = $1 AND state <> 'completed'`, [name])).rows[0].n)
  // The monitor and the queue cache see the backlog before the clock starts, as they would on a queue that
  // filled up while its workers ran.
  const counted = Date.now() + 30000
  while ((((await boss.getQueues([name]))[0] || {}).readyCount || 0) < opts.tasks && Date.now() < counted) {
    await sleep(100)
  }
  await sleep(1100)

  let ran = 0
  let duplicates = 0
  const seen = new Set()
  const start = process.hrtime.bigint()
  await boss.work(name, {
    localConcurrency: opts.workers,
    batchSize: opts.batch,
    pollingIntervalSeconds: 0.5,
    burstWhenBatchFull: opts.batch > 1,
    burstWhenReadyExceeds: 1
  }, async jobs => {
    for (const job of jobs) {
      if (seen.has(job.data.n)) duplicates++
      seen.add(job.data.n)
      ran++
    }
  })
  let remaining = opts.tasks
  while (Date.now() < deadline && (remaining = await left()) > 0) await sleep(2)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const timedOut = remaining > 0
  await Promise.race([boss.stop({ graceful: false, close: true }), sleep(10000)])
  await check.end()

  const ok = !timedOut && ran === opts.tasks && duplicates === 0
  console.log(JSON.stringify({
    peer: 'pg-boss-work',
    tasks: opts.tasks,
    workers: opts.workers,
    batch: opts.batch,
    seconds: round(seconds, 3),
    tasksPerSecond: round(opts.tasks / seconds, 2),
    burstWhenBatchFull: opts.batch > 1,
    burstWhenReadyExceeds: 1,
    pollingIntervalSeconds: 0.5,
    ...(ok ? {} : { error: 'ran ' + ran + ' of ' + opts.tasks + ', duplicates ' + duplicates + ', left ' + remaining })
  }))
  process.exit(ok ? 0 : (timedOut ? 3 : 2))
}

function round (x, digits) { const f = 10 ** digits; return Math.round(x * f) / f }

setTimeout(() => { console.error('pgboss-work-bench: timed out'); process.exit(3) }, (opts.timeout + 60) * 1000).unref()
main().catch(e => { console.error('pgboss-work-bench:', e.message); process.exit(1) })
