// Crew 1.0.25's own polling WorkerGroup against this service: a root task whose answer creates three children
// and a join over them (continuation DAG); one child is rate-limited once (workgroup delay of 1 s). Exits 0 when
// the group completes with the join's output = sum of its parents' outputs, 2 otherwise.
process.env.CREW_API_BASE_URL = process.env.CREW_URL || 'http://127.0.0.1:3000/'
process.env.CREW_WORK_INTERVAL_IN_MILLISECONDS = '200'
const { Worker, WorkerGroup } = require('@orchard-insights/crew')
const { call, groupCompletes } = require('./api')
const sfx = Date.now().toString(36)
class Fan extends Worker {
  constructor() { super(); this.name = 'fan'; this.channel = 'pj_fan_' + sfx }
  async executeTask(data, parents, taskId) {
    return { output: data.n, children: [1, 2, 3].map(i => ({ _child_id: i, name: 'leaf' + i, channel: 'pj_sum_' + sfx, input: { n: i }, workgroup: 'pwg_' + sfx }))
      .concat([{ _child_id: 9, _parent_ids: [1, 2, 3], name: 'join', channel: 'pj_sum_' + sfx, input: { join: true } }]) }
  }
}
class Sum extends Worker {
  constructor() { super(); this.name = 'sum'; this.channel = 'pj_sum_' + sfx; this.limited = false }
  async executeTask(data, parents, taskId) {
    if (data.n === 3 && !this.limited) { this.limited = true; this.pauseWorkgroupSeconds = 1; throw new Error('429') }
    if (data.join) return { output: parents.reduce((s, p) => s + p.output, 0) }
    return { output: data.n * 10 }
  }
}
async function main() {
  const group = new WorkerGroup([new Fan(), new Sum()])
  const g = await call('POST', 'task_groups', { name: 'js poll ' + sfx })
  await call('POST', 'task_group/' + g._id + '/tasks', { name: 'root', channel: 'pj_fan_' + sfx, input: { n: 5 } })
  const ok = await groupCompletes(g._id, 5, 60)
  process.exit(ok ? 0 : 2)
}
main().catch(e => { console.error(e); process.exit(3) })
