// Crew 1.0.25's own HttpWorkerGroup (webhook workers) against this service through operators: the root's answer
// creates two children and a join; one child is rate-limited (workgroup delay of 1 s). Exits 0 when the group
// completes, 2 otherwise. The worker server listens on CREW_WORKER_PORT (default 3902) on this host.
const { HttpWorker, HttpWorkerGroup, WorkerServer } = require('@orchard-insights/crew')
const { call, groupCompletes } = require('./api')
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
async function main() {
  process.env.CREW_WORKER_PORT = process.env.CREW_WORKER_PORT || '3902'
  const server = new WorkerServer()
  const group = new HttpWorkerGroup([new Fan(), new Sum()], server)
  await new Promise(r => setTimeout(r, 500))
  const ops = []
  for (const ch of ['js_fan_' + sfx, 'js_sum_' + sfx]) ops.push(await call('POST', 'operators', { channel: ch, url: 'http://127.0.0.1:' + process.env.CREW_WORKER_PORT + '/execute/' + ch }))
  const g = await call('POST', 'task_groups', { name: 'js hook ' + sfx })
  await call('POST', 'task_group/' + g._id + '/tasks', { name: 'root', channel: 'js_fan_' + sfx, input: { n: 5 }, workgroup: 'wg_' + sfx })
  const ok = await groupCompletes(g._id, 4, 30)
  for (const o of ops) await call('DELETE', 'operator/' + o._id)
  process.exit(ok ? 0 : 2)
}
main().catch(e => { console.error(e); process.exit(3) })
