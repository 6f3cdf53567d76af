// The REST calls and the completion check shared by the scenarios.
const base = (process.env.CREW_URL || 'http://127.0.0.1:3000/') + 'api/v1/'

async function call(method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
  const j = await r.json(); if (!r.ok) throw new Error(path + ' ' + r.status + ' ' + JSON.stringify(j)); return j
}

// Waits up to 30 s for the group's `count` tasks to complete; true when the join's output is `joinOutput`.
async function groupCompletes(groupId, count, joinOutput) {
  const started = Date.now()
  for (let i = 0; i < 100; i++) {
    const tasks = await call('GET', 'task_group/' + groupId + '/tasks')
    if (tasks.length === count && tasks.every(t => t.isComplete)) {
      const join = tasks.find(t => t.name === 'join')
      if (join.output !== joinOutput) { console.log('WRONG join output', join.output); return false }
      console.log('completed in', Date.now() - started, 'ms', JSON.stringify(tasks.map(t => [t.name, t.output, t.errors])))
      return true
    }
    await new Promise(r => setTimeout(r, 300))
  }
  console.log('TIMEOUT', JSON.stringify((await call('GET', 'task_group/' + groupId + '/tasks')).map(t => [t.name, t.state, t.errors])))
  return false
}

module.exports = { call, groupCompletes }
