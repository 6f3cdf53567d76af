// Crew 1.0.25's own HttpWorkerGroup (webhook workers) against this service through operators: the root's answer
// creates two children and a join; one child is rate-limited (workgroup delay of 1 s). Exits 0 when the group
// completes, 2 on timeout. The worker server listens on CREW_WORKER_PORT (default 3902) on this host.
const { HttpWorker, HttpWorkerGroup, WorkerServer } = require('@orchard-insights/crew')
const base = (process.env.CREW_URL || 'http://127.0.0.1:3000/') + 'api/v1/'
const sfx = Date.now().toString(36)
class Fan extends HttpWorker {
  constructor() { super(); this.name = 'fan'; this.channel = 'js_fan_' + sfx }
  async executeTask(data, parents, taskId) {
    return { output: { n: data.n }, children: [
      { _child_id: 1, name: 'leaf1', channel: 'js_sum_' + sfx, input: { n: 1 }, workgroup: 'wg_' + sfx },
      { _child_id: 2, name: 'leaf2', channel: 'js_sum_' + sfx, input: { n: 2 }, workgroup: 'wg_' + sfx },
      { _child_id: 3, _parent_ids: [1, 2], name: 'join', channel: 'js_sum_' + sfx, input: { join: true } } ] }
  }
}
class Sum extends HttpWorker {
  constructor() { super(); this.name = 'sum'; this.channel = 'js_sum_' + sfx; this.calls = 0 }
  async executeTask(data, parents, taskId) {
    this.calls++
    if (data.n === 2 && this.calls < 3) { this.pauseWorkgroupSeconds = 1; throw new Error('rate limited') }
    if (data.join) return { output: parents.reduce((s, p) => s + p.output, 0) }
    return { output: data.n * 10 }
  }
}
async function call(method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
  const j = await r.json(); if (!r.ok) throw new Error(path + ' ' + r.status + ' ' + JSON.stringify(j)); return j
}
async function main() {
  process.env.CREW_WORKER_PORT = process.env.CREW_WORKER_PORT || '3902'
  const server = new WorkerServer()
  const group = new HttpWorkerGroup([new Fan(), new Sum()], server)
  await new Promise(r => setTimeout(r, 500))
  const ops = []
  for (const ch of ['js_fan_' + sfx, 'js_sum_' + sfx]) ops.push(await call('POST', 'operators', { channel: ch, url: 'http://127.0.0.1:' + process.env.CREW_WORKER_PORT + '/execute/' + ch }))
  const T0 = Date.now()
  const g = await call('POST', 'task_groups', { name: 'js hook ' + sfx })
  await call('POST', 'task_group/' + g._id + '/tasks', { name: 'root', channel: 'js_fan_' + sfx, input: { n: 5 }, workgroup: 'wg_' + sfx })
  for (let i = 0; i < 100; i++) {
    const tasks = await call('GET', 'task_group/' + g._id + '/tasks')
    if (tasks.length === 4 && tasks.every(t => t.isComplete)) {
      const join = tasks.find(t => t.name === 'join')
      if (join.output !== 30) { console.log('WRONG join output', join.output); process.exit(1) }
      console.log('completed in', Date.now() - T0, 'ms', JSON.stringify(tasks.map(t => [t.name, t.output, t.errors])))
      const grp = await call('GET', 'task_group/' + g._id); console.log('group', grp.status)
      for (const o of ops) await call('DELETE', 'operator/' + o._id)
      process.exit(0)
    }
    await new Promise(r => setTimeout(r, 300))
  }
  console.log('TIMEOUT', JSON.stringify(await call('GET', 'task_group/' + g._id + '/tasks')))
  process.exit(2)
}
main().catch(e => { console.error(e); process.exit(3) })
