#!/usr/bin/env node
// Crew's own JavaScript Worker (npm @orchard-insights/crew 1.0.25, axios 0.24) against the service: creates a
// group and N independent tasks on a fresh channel (bulk creation, chunks of 1,000), starts W Workers in one
// WorkerGroup in this process, each answering {"output":{"ok":true}}, and times from their start until the group
// has N complete tasks. Prints one JSON line:
//   {"client":"crew-js-worker","tasks":N,"workers":W,"seconds":S,"tasksPerSecond":R,...}
// Usage: node crew-js-bench.js --url http://127.0.0.1:PORT/ [--tasks 20000] [--workers 32] [--interval 100]
//        [--worker-logs off|stderr] [--timeout 300]
// Exit code 0 when every task ran exactly once and the group counts N complete tasks, 2 otherwise, 3 on a
// time-out.
//
// How the Worker polls (node_modules/@orchard-insights/crew/src/Worker.ts), and the settings chosen:
// - startWork() calls doWork() in a loop: acquire (POST api/v1/channel/{channel}/acquire), executeTask, release
//   (POST api/v1/task/{id}/release, retried 3 times with back-off). After a release it asks again at once when
//   workIntervalRestart is on (CREW_WORK_INTERVAL_RESTART, default "yes": kept). When an acquire answers
//   {"task":null} it stops and polls again every workIntervalDelay ms (CREW_WORK_INTERVAL_IN_MILLISECONDS,
//   default 15,000). The tasks exist before the Workers start, so a Worker only sees null at the end; the interval
//   is set to --interval (100 ms by default) so that the 15 s default cannot dominate a run that lasts seconds.
//   There is no long-poll, batch acquire or batch release in this client: one task per two requests.
// - HTTP: axios 0.24 posts through follow-redirects with no agent of its own, that is node's global agent,
//   which keeps connections alive on Node 19+ (one per Worker in flight). acquireReleaseAxiosRequestConfig is
//   left empty, as a user leaves it.
// - The Worker writes four console.log lines per task. They are dropped by default (--worker-logs off: the
//   figure measures the protocol, and every client here runs without per-job logging); --worker-logs stderr
//   sends them to stderr, as a deployment that keeps its logs would.
// - Tasks are created with POST api/v1/task_group/{id}/tasks/bulk {"tasks":[...]} (1,000 per request), or, if
//   the service has no such route, an array POST to api/v1/task_group/{id}/tasks.
'use strict'
const http = require('node:http')

function parseArgs (argv) {
  const opts = { url: null, tasks: 20000, workers: 32, interval: 100, 'worker-logs': 'off', timeout: 300 }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts)) throw new Error('unknown option ' + argv[i])
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + argv[i - 1])
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value
  }
  if (!opts.url) throw new Error('--url http://127.0.0.1:PORT/ is required')
  if (!opts.url.endsWith('/')) opts.url += '/'
  if (!['off', 'stderr'].includes(opts['worker-logs'])) throw new Error('--worker-logs off|stderr')
  return opts
}

const opts = parseArgs(process.argv.slice(2))
// Read by the Worker's field initialisers, so set before any Worker is made.
process.env.CREW_API_BASE_URL = opts.url
process.env.CREW_WORK_INTERVAL_IN_MILLISECONDS = String(opts.interval)
process.env.CREW_WORK_INTERVAL_RESTART = 'yes'
const print = console.log.bind(console)
console.log = opts['worker-logs'] === 'off' ? () => {} : (...args) => console.error(...args)
console.info = console.log
const { Worker, WorkerGroup } = require('@orchard-insights/crew')

const deadline = Date.now() + opts.timeout * 1000
const base = new URL(opts.url)
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 })
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// The driver's own requests (creation, progress) on a connection of their own, not through axios.
function call (method, path, body) {
  const payload = body === undefined ? '' : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: base.hostname,
      port: base.port,
      path: base.pathname + path,
      method,
      agent,
      timeout: 60000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
    }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json = null
        try { json = JSON.parse(text) } catch (e) { /* reported below */ }
        resolve({ status: res.statusCode, json, text })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(method + ' ' + path + ' timed out')))
    req.on('error', reject)
    req.end(payload)
  })
}

async function ok (method, path, body) {
  const r = await call(method, path, body)
  if (r.status !== 200) throw new Error(method + ' ' + path + ' -> ' + r.status + ' ' + r.text.slice(0, 300))
  return r.json
}

async function createTasks (groupId, tasks) {
  let bulk = true
  for (let from = 0; from < tasks.length; from += 1000) {
    const chunk = tasks.slice(from, from + 1000)
    if (bulk) {
      const r = await call('POST', `api/v1/task_group/${groupId}/tasks/bulk`, { tasks: chunk })
      if (r.status === 200) continue
      if (r.status !== 404 && r.status !== 405) throw new Error('bulk create -> ' + r.status + ' ' + r.text.slice(0, 300))
      bulk = false
    }
    await ok('POST', `api/v1/task_group/${groupId}/tasks`, chunk)
  }
}

async function main () {
  const sfx = Date.now().toString(36) + process.pid.toString(36)
  const channel = 'crewjs_' + sfx
  const group = await ok('POST', 'api/v1/task_groups', { name: 'crew-js bench ' + sfx })
  const tasks = []
  for (let i = 0; i < opts.tasks; i++) tasks.push({ name: 't' + i, channel, input: { n: i } })
  await createTasks(group._id, tasks)

  let executed = 0
  const seen = new Set()
  let duplicates = 0
  class BenchWorker extends Worker {
    constructor () {
      super()
      this.name = 'bench'
      this.channel = channel
    }

    async executeTask (data) {
      if (seen.has(data.n)) duplicates++
      seen.add(data.n)
      executed++
      return { output: { ok: true } }
    }
  }

  const workers = Array.from({ length: opts.workers }, () => new BenchWorker())
  const start = process.hrtime.bigint()
  const workerGroup = new WorkerGroup(workers)

  // Every task has been handed out once executed reaches N; the group is complete when their releases are in.
  let complete = 0
  let status = null
  while (Date.now() < deadline) {
    if (executed >= opts.tasks) {
      const g = await ok('GET', `api/v1/task_group/${group._id}`)
      complete = (g.taskCounts && g.taskCounts.complete) || 0
      status = g.status
      if (complete >= opts.tasks) break
      await sleep(5)
    } else {
      await sleep(20)
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const timedOut = complete < opts.tasks

  await Promise.race([Promise.all(workers.map(w => workerGroup.removeWorker(w))), sleep(5000)])
  const good = !timedOut && executed === opts.tasks && duplicates === 0
  print(JSON.stringify({
    client: 'crew-js-worker',
    tasks: opts.tasks,
    workers: opts.workers,
    seconds: round(seconds, 3),
    tasksPerSecond: round(opts.tasks / seconds, 2),
    intervalMs: opts.interval,
    workerLogs: opts['worker-logs'],
    ...(good ? {} : { error: 'executed ' + executed + ', complete ' + complete + ' (' + status + ') of ' + opts.tasks + ', duplicates ' + duplicates })
  }))
  agent.destroy()
  process.exit(good ? 0 : timedOut ? 3 : 2)
}

function round (x, digits) { const f = 10 ** digits; return Math.round(x * f) / f }

setTimeout(() => { console.error('crew-js-bench: timed out'); process.exit(3) }, (opts.timeout + 60) * 1000).unref()
main().catch(e => { console.error('crew-js-bench:', e.message); process.exit(1) })
