#!/usr/bin/env node
// Load driver for pgboss-front.js: enqueues N jobs on a fresh queue through the front's batch insert (chunks of
// 1,000), then W concurrent HTTP workers loop fetch(batchSize B) -> complete(ids) until all N jobs are complete.
// Prints one JSON line:
//   {"peer":"pg-boss-http","tasks":N,"workers":W,"batch":B,"seconds":S,"tasksPerSecond":R}
// Usage: node pgboss-http-bench.js --url http://127.0.0.1:PORT/ [--tasks 20000] [--workers 32] [--batch 1]
//        [--queue NAME] [--timeout 300]
// The time runs from the first fetch to the last completion, not the enqueueing (as bench/Bench.java's
// throughput runs time the workers, not the bulk creation). Each worker keeps one keep-alive connection (an
// http.Agent with W sockets), as the Java harness's workers do. A worker that fetches nothing while jobs are
// still outstanding (other workers hold them) waits 2 ms and asks again; every loop ends at --timeout seconds,
// every request after 30 s. Exit code 0 when every job was completed exactly once, 2 otherwise.
'use strict'
const http = require('node:http')

function parseArgs (argv) {
  const opts = { url: null, tasks: 20000, workers: 32, batch: 1, queue: null, timeout: 300 }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts)) throw new Error('unknown option ' + argv[i])
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + argv[i - 1])
    opts[key] = typeof opts[key] === 'number' || key === 'tasks' ? Number(value) : value
  }
  if (!opts.url) throw new Error('--url http://127.0.0.1:PORT/ is required')
  if (!opts.queue) opts.queue = 'bench_' + Date.now().toString(36) + '_' + process.pid
  return opts
}

const opts = parseArgs(process.argv.slice(2))
const base = new URL(opts.url)
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.workers + 1 })
const deadline = Date.now() + opts.timeout * 1000

function post (path, body) {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: base.hostname,
      port: base.port,
      path: base.pathname.replace(/\/$/, '') + path,
      method: 'POST',
      agent,
      timeout: 30000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
    }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 200) return reject(new Error(path + ' -> ' + res.statusCode + ' ' + text))
        try { resolve(JSON.parse(text)) } catch (e) { reject(e) }
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(path + ' timed out')))
    req.on('error', reject)
    req.end(payload)
  })
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function main () {
  const q = '/queues/' + encodeURIComponent(opts.queue)
  for (let from = 0; from < opts.tasks; from += 1000) {
    const chunk = []
    for (let i = from; i < Math.min(opts.tasks, from + 1000); i++) chunk.push({ data: { n: i } })
    const r = await post(q + '/jobs/batch', chunk)
    if (r.count !== chunk.length) throw new Error('batch insert answered ' + JSON.stringify(r))
  }

  let completed = 0
  let fetched = 0
  const seen = new Set()
  let duplicates = 0
  const start = process.hrtime.bigint()
  const worker = async () => {
    while (completed < opts.tasks && Date.now() < deadline) {
      const jobs = await post(q + '/fetch', { batchSize: opts.batch })
      if (jobs.length === 0) {
        if (fetched >= opts.tasks) return // the rest are held by other workers
        await sleep(2)
        continue
      }
      fetched += jobs.length
      const ids = jobs.map(j => j.id)
      for (const id of ids) { if (seen.has(id)) duplicates++; seen.add(id) }
      const r = await post(q + '/complete', { ids, output: { ok: true } })
      completed += r.completed
    }
  }
  await Promise.all(Array.from({ length: opts.workers }, worker))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9

  const ok = completed === opts.tasks && duplicates === 0
  console.log(JSON.stringify({
    peer: 'pg-boss-http',
    tasks: opts.tasks,
    workers: opts.workers,
    batch: opts.batch,
    seconds: round(seconds, 3),
    tasksPerSecond: round(opts.tasks / seconds, 2),
    ...(ok ? {} : { error: 'completed ' + completed + ' of ' + opts.tasks + ', duplicates ' + duplicates })
  }))
  agent.destroy()
  process.exit(ok ? 0 : 2)
}

function round (x, digits) { const f = 10 ** digits; return Math.round(x * f) / f }

setTimeout(() => { console.error('pgboss-http-bench: timed out'); process.exit(3) }, (opts.timeout + 60) * 1000).unref()
main().catch(e => { console.error('pgboss-http-bench:', e.message); process.exit(1) })
