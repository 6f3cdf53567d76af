// Tasks: the table shared by a group and a channel, one task with its attempt ledger, and a channel's tasks.
import { api, streams } from './api.js';
import { h, href, link, shortId, time, badge, json, table, fields, pager, dash, groupName } from './dom.js';
import { reasons } from './waiting.js';

const TASKS_PER_PAGE = 50;

/** channel / group: the column that places each task (its channel in a group's table, its group in a channel's). */
export function taskTable(caption, tasks, { channel = false, group = false } = {}) {
  return table(caption, [
    ['Task', (t) => link(href.task(t._id), t.name || t._id)],
    ['State', (t) => state(t)],
    channel && ['Channel', (t) => link(href.channel(t.channel), t.channel)],
    group && ['Group', (t) => link(href.group(t.taskGroupId), shortId(t.taskGroupId))],
    ['Workgroup', (t) => (t.workgroup == null ? dash() : h('code', {}, t.workgroup))],
    ['Attempt', (t) => t.attempt],
    ['Attempts left', (t) => t.remainingAttempts],
    ['Priority', (t) => t.priority],
    ['Run after', (t) => time(t.runAfter)],
    ['Parents', (t) => parents(t.parentIds)],
  ].filter(Boolean), tasks, 'No task.');
}

/** States a task does not leave without a retry or reset: nothing to cancel. */
const FINISHED = new Set(['complete', 'failed', 'cancelled']);

function retryPolicy(p) {
  const jitter = p.jitter ? `, up to ${Math.round(p.jitter * 100)} % sooner` : '';
  return p.backoff === 'exponential'
    ? `exponential: ${p.initialDelaySeconds} s × ${p.factor}ⁿ⁻¹, at most ${p.maxDelaySeconds} s${jitter}`
    : `fixed: the error delay${jitter}`;
}

/** The state and, under it, what holds the task (the service's waitingFor). */
const state = (t) => h('span', {}, badge(t.state),
  reasons(t.waitingFor).map((r) => h('span', { class: 'why' }, r)));

function waitingFor(t) {
  const list = reasons(t.waitingFor);
  return list.length === 0 ? null : h('ul', { class: 'why-list' }, list.map((r) => h('li', {}, r)));
}

function parents(ids) {
  if (!Array.isArray(ids) || ids.length === 0) return dash();
  return h('ul', { class: 'inline' }, ids.map((id) => h('li', {}, link(href.task(id), shortId(id)))));
}

export async function taskDetail({ id }, ctx) {
  const [t, attempts] = await Promise.all([api.task(id), api.attempts(id)]);
  // The breadcrumb names the task's group, read once the task says which it is (deleted since: its id).
  const group = await api.group(t.taskGroupId).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
  const name = t.name || t._id;
  const node = h('div', {},
    h('p', { class: 'crumbs' }, link(href.groups(), 'Task groups'), ' / ',
      link(href.group(t.taskGroupId), group ? groupName(group) : shortId(t.taskGroupId)), ' / '),
    h('h1', { tabindex: -1 }, 'Task ', h('q', {}, name), ' ', badge(t.state)),
    h('div', { class: 'actions' },
      // Retry sets the attempts left to 2 (Crew's meaning): offered for failed tasks only, where it cannot
      // take attempts away.
      (t.state === 'failed' || t.state === 'cancelled') && ctx.button('Retry', () => api.retryTask(t._id), {
        aria: `Retry task ${name}`, key: t._id,
        title: 'Give it 2 attempts: it runs again and the tasks it blocked wait for it again',
      }),
      FINISHED.has(t.state) ? null : ctx.button('Cancel', () => api.cancelTask(t._id), {
        aria: `Cancel task ${name}`, key: t._id, danger: true,
        confirm: `Cancel task "${name}"?\n\nIt stops now (a running attempt loses its lease), and so do the unfinished `
          + 'tasks that depend on it, in any group. Retry runs them again.',
      }),
      ctx.button('Reset', () => api.resetTask(t._id), {
        aria: `Reset task ${name}`, key: t._id, danger: true,
        confirm: `Reset task "${name}"?\n\nIts output, errors and lease are cleared, it gets 2 attempts, and `
          + 'the tasks that depend on it wait for it again.',
      }),
      ctx.button('Pluck', async () => href.group((await api.pluckTask(t._id)).taskGroupId), {
        aria: `Pluck task ${name}`, key: t._id,
        title: 'Copy it into a new paused group of its own, to run or debug it alone',
      }),
      ctx.button('Delete', async () => { await api.deleteTask(t._id); return href.group(t.taskGroupId); }, {
        aria: `Delete task ${name}`, key: t._id, danger: true,
        confirm: `Delete task "${name}" and every task that depends on it, in any group?\n\nThis cannot be undone.`,
      })),
    fields([
      ['Id', h('code', {}, t._id)],
      ['Group', link(href.group(t.taskGroupId), h('code', {}, t.taskGroupId))],
      ['Channel', link(href.channel(t.channel), t.channel)],
      ['Workgroup', t.workgroup == null ? null : h('code', {}, t.workgroup)],
      ['Key', t.key == null ? null : h('code', {}, t.key)],
      ['State', badge(t.state)],
      ['Waiting for', waitingFor(t)],
      ['Attempt', t.attempt],
      ['Attempts left', t.remainingAttempts],
      ['Priority', t.priority],
      ['Progress weight', t.progressWeight],
      ['Seed', t.isSeed ? 'Yes' : 'No'],
      ['Error delay', `${t.errorDelayInSeconds} s`],
      ['Retry policy', t.retryPolicy == null ? null : retryPolicy(t.retryPolicy)],
      ['Timeout', t.timeoutSeconds == null ? null : `${t.timeoutSeconds} s`],
      ['Times out', time(t.timeoutAt)],
      ['Runs when', t.runWhen === 'parentsDone' ? 'every parent ended, complete or not' : null],
      ['Run after', time(t.runAfter)],
      ['Assigned to', t.assignedTo == null ? null : h('code', {}, t.assignedTo)],
      ['Assigned at', time(t.assignedAt)],
      ['Lease expires', time(t.leaseExpiresAt)],
      ['Created', time(t.createdAt)],
      ['Completed', time(t.completedAt)],
      ['Parents', parents(t.parentIds)],
    ]),
    h('h2', {}, 'Input'), json(t.input),
    h('h2', {}, 'Output'), json(t.output),
    h('h2', {}, 'Errors'), Array.isArray(t.errors) && t.errors.length === 0 ? h('p', { class: 'muted' }, 'None.') : json(t.errors),
    h('h2', {}, 'Attempts'),
    table('Every lease of this task, first to last', [
      ['#', (a) => a.attempt],
      ['Worker', (a) => h('code', {}, a.workerId)],
      ['Acquired', (a) => time(a.acquiredAt)],
      ['Finished', (a) => time(a.finishedAt)],
      ['Outcome', (a) => (a.outcome == null ? h('span', { class: 'muted' }, 'in progress') : badge(a.outcome))],
      ['Error', (a) => (a.error == null ? dash() : json(a.error))],
    ], attempts, 'Never acquired.'),
    h('details', {}, h('summary', {}, 'The task as JSON'), json(t)));
  return {
    title: `Task ${name}`,
    node,
    events: streams.group(t.taskGroupId), // the shell re-reads the task after each event of its group
  };
}

export async function channelView({ name, page }) {
  const skip = (page - 1) * TASKS_PER_PAGE;
  const [tasks, channels] = await Promise.all([api.channelTasks(name, TASKS_PER_PAGE, skip), api.channels()]);
  const c = channels.find((x) => x.name === name);
  // The channel's total tells whether another page exists; a full page is the best guess without it.
  const hasNext = c ? skip + tasks.length < c.totalCount : tasks.length === TASKS_PER_PAGE;
  const node = h('div', {},
    h('p', { class: 'crumbs' }, link(href.overview(), 'Overview'), ' / '),
    h('h1', { tabindex: -1 }, 'Channel ', h('q', {}, name)),
    c ? fields([
      ['Tasks', c.totalCount],
      ['Not complete', c.totalCount - c.completedCount],
      ['Running', c.assignedCount],
      ['Complete', c.completedCount],
    ]) : h('p', { class: 'muted' }, 'This channel has no task.'),
    taskTable('Tasks of this channel in every group, newest first', tasks, { group: true }),
    pager(page, hasNext, (p) => href.channel(name, p), `Page ${page}`));
  return { title: `Channel ${name}`, node };
}
