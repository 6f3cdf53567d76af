// Task groups: the paged list (newest first, as the API returns them) and one group: its DAG, drawn and kept live
// from the group's event stream, and its tasks as a table.
import { api, streams } from './api.js';
import { DagView } from './dag-view.js';
import { h, href, link, time, badge, counts, progress, table, fields, pager, groupName } from './dom.js';
import { taskTable } from './tasks.js';

const GROUPS_PER_PAGE = 20;
const TASKS_PER_PAGE = 50;

export async function groupList({ page }, ctx) {
  const skip = (page - 1) * GROUPS_PER_PAGE;
  const [groups, { count }] = await Promise.all([api.groups(GROUPS_PER_PAGE, skip), api.groupCount()]);
  const pages = Math.max(1, Math.ceil(count / GROUPS_PER_PAGE));
  const node = h('div', {},
    h('h1', { tabindex: -1 }, 'Task groups'),
    table('Task groups, newest first', [
      ['Name', (g) => link(href.group(g._id), groupName(g))],
      ['Status', (g) => badge(g.status)],
      ['Progress', (g) => progress(g.progress)],
      ['Tasks', (g) => counts(g.taskCounts, g.totalTasks)],
      ['Created', (g) => time(g.createdAt)],
      ['Completed', (g) => time(g.completedAt)],
      ['Actions', (g) => groupActions(g, ctx, null)],
    ], groups, page > 1 ? 'No group on this page.' : 'No task group yet.'),
    pager(page, page < pages, href.groups, `Page ${page} of ${pages} · ${count} groups`));
  return { title: 'Task groups', node };
}

// The drawing on screen survives refreshes of its group (pan, zoom and expanded aggregates stay).
let dag = { id: null, view: null };

export async function groupDetail({ id, page }, ctx) {
  const skip = (page - 1) * TASKS_PER_PAGE;
  const [g, graph, tasks] = await Promise.all([api.group(id), api.graph(id),
    api.groupTasks(id, TASKS_PER_PAGE, skip)]);
  if (dag.id !== id) dag = { id, view: new DagView() };
  dag.view.update(graph);
  const view = dag.view;
  const pages = Math.max(1, Math.ceil(g.totalTasks / TASKS_PER_PAGE));
  const node = h('div', {},
    h('p', { class: 'crumbs' }, link(href.groups(), 'Task groups'), ' / '),
    h('h1', { tabindex: -1 }, 'Group ', h('q', {}, groupName(g)), ' ', badge(g.status)),
    groupActions(g, ctx, href.groups()),
    fields([
      ['Id', h('code', {}, g._id)],
      ['Paused', g.isPaused ? 'Yes' : 'No'],
      ['Progress', progress(g.progress)],
      ['Tasks', counts(g.taskCounts, g.totalTasks)],
      ['Created', time(g.createdAt)],
      ['Completed', time(g.completedAt)],
    ]),
    h('h2', {}, 'Graph'),
    view.element,
    h('h2', {}, 'Tasks'),
    taskTable('Tasks of this group, newest first', tasks, { channel: true }),
    pager(page, page < pages, (p) => href.group(g._id, p), `Page ${page} of ${pages} · ${g.totalTasks} tasks`));
  return {
    title: `Group ${g.name || g._id}`,
    node,
    events: streams.group(id),
    // A task's new state shows at once; the shell re-reads the page a moment later (counts, new tasks).
    onEvent: (name, data) => {
      if ((name === 'task:update' || name === 'task:create') && data?.taskGroupId === id) view.patch(data);
    },
  };
}

/** afterDelete: where to go once the group is gone (null: stay, the list refreshes). */
function groupActions(g, ctx, afterDelete) {
  const name = g.name || g._id;
  const opts = (verb, more = {}) => ({ aria: `${verb} group ${name}`, key: g._id, ...more });
  return h('div', { class: 'actions' },
    g.isPaused
      ? ctx.button('Resume', () => api.resumeGroup(g._id), opts('Resume'))
      : ctx.button('Pause', () => api.pauseGroup(g._id), opts('Pause')),
    ctx.button('Retry', () => api.retryGroup(g._id),
      opts('Retry', { title: 'Give failed and cancelled tasks 2 attempts again; what they blocked waits for them again' })),
    ctx.button('Cancel', () => api.cancelGroup(g._id), opts('Cancel', {
      danger: true,
      title: 'Stop every unfinished task now',
      confirm: `Cancel group "${name}"?\n\nEvery task that is not complete or failed is cancelled, with the tasks `
        + 'below them in other groups; running tasks lose their lease at once. Retry runs them again.',
    })),
    ctx.button('Reset', () => api.resetGroup(g._id), opts('Reset', {
      danger: true,
      title: 'Start every task over',
      confirm: `Reset group "${name}"?\n\nEvery task starts over with 5 attempts: outputs, errors and leases are `
        + 'cleared. If the group has seed tasks, every other task is deleted.',
    })),
    ctx.button('Delete', async () => { await api.deleteGroup(g._id); return afterDelete; }, opts('Delete', {
      danger: true,
      confirm: `Delete group "${name}" and all its tasks?\n\nThis cannot be undone.`,
    })));
}

