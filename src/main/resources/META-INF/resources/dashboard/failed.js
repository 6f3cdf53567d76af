// Failed work across groups: the failed tasks of every group, most recently ended first, with their last error;
// retry a selection of them, or everything the filter shows.
import { api } from './api.js';
import { h, href, link, shortId, json, table, pager, dash } from './dom.js';

const PER_PAGE = 50;
// The selection outlives the re-renders of live updates (a task retried leaves the list, and the selection).
const selected = new Set();

export async function failedView({ page, channel, workgroup }, ctx) {
  const tasks = await api.failedTasks({ channel, workgroup, limit: PER_PAGE, skip: (page - 1) * PER_PAGE });
  const shown = new Set(tasks.map((t) => t._id));
  for (const id of [...selected]) if (!shown.has(id)) selected.delete(id);
  const filter = [channel && `channel ${channel}`, workgroup && `workgroup ${workgroup}`].filter(Boolean).join(', ');
  const node = h('div', {},
    h('h1', { tabindex: -1 }, 'Failed tasks'),
    h('p', { class: 'muted' }, 'Tasks of every group that failed for good, most recently first',
      filter ? ` (${filter})` : '', '. A retry gives a task 2 attempts: it runs again, and what it blocked waits for it.'),
    h('div', { class: 'actions' },
      ctx.button('Retry selected', () => Promise.all([...selected].map((id) => api.retryTask(id)))
        .then(() => selected.clear()), { title: 'Retry the tasks ticked below' }),
      ctx.button(filter ? 'Retry all that match' : 'Retry all', () => api.retryFailed({ channel, workgroup }), {
        danger: true,
        confirm: `Retry every failed task${filter ? ` of ${filter}` : ''}, in every group?`,
      })),
    table('Failed tasks, most recently ended first', [
      ['Select', (t) => h('input', { type: 'checkbox', 'aria-label': `Select task ${t.name || t._id}`,
        checked: selected.has(t._id), onchange: (e) => (e.target.checked ? selected.add(t._id) : selected.delete(t._id)) })],
      ['Task', (t) => link(href.task(t._id), t.name || t._id)],
      ['Group', (t) => link(href.group(t.taskGroupId), shortId(t.taskGroupId))],
      ['Channel', (t) => link(href.failed(1, t.channel, workgroup), t.channel)],
      ['Workgroup', (t) => (t.workgroup == null ? dash() : link(href.failed(1, channel, t.workgroup), t.workgroup))],
      ['Attempts', (t) => t.attempt],
      ['Last error', (t) => (t.errors?.length ? json(t.errors[t.errors.length - 1]) : dash())],
    ], tasks, 'No failed task.'),
    pager(page, tasks.length === PER_PAGE, (p) => href.failed(p, channel, workgroup), `Page ${page}`));
  return { title: 'Failed tasks', node };
}
