// Overview: where work is piling up (channels), what is held back (workgroups), who receives tasks by webhook.
// Live: every event of the service re-reads it (spaced by the shell).
import { api } from './api.js';
import { h, href, link, table, num } from './dom.js';
import { operatorSection } from './operators.js';
import { columns, actions } from './workgroups.js';

export async function overview(_params, ctx) {
  const [channels, workgroups, operators] = await Promise.all([api.channels(), api.workgroups(), api.operators()]);
  const node = h('div', {},
    h('h1', { tabindex: -1 }, 'Overview'),
    h('section', { 'aria-labelledby': 'channels-h' },
      h('h2', { id: 'channels-h' }, 'Channels'),
      table('Tasks of each channel, in every group', [
        ['Channel', (c) => link(href.channel(c.name), c.name)],
        ['Tasks', (c) => num(c.totalCount)],
        ['Not complete', (c) => num(c.totalCount - c.completedCount)],
        ['Running', (c) => num(c.assignedCount)],
        ['Complete', (c) => num(c.completedCount)],
      ], channels, 'No channel has tasks.')),
    h('section', { 'aria-labelledby': 'workgroups-h' },
      h('h2', { id: 'workgroups-h' }, 'Workgroups'),
      h('p', {}, 'Their caps, budgets and parents: ', link(href.workgroups(), 'workgroups'), '.'),
      table('Workgroups: rate-limit pauses, held and unfinished tasks', [
        columns.name, columns.paused, columns.reason, columns.held, columns.tasks,
        ['Actions', (w) => actions(w, ctx)],
      ], workgroups, 'No workgroup has been paused yet.')),
    operatorSection(operators, ctx));
  return { title: 'Overview', node };
}
