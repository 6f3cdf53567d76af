// Overview: where work is piling up (channels), what is held back (workgroups), who receives tasks by webhook.
// Live: every event of the service re-reads it (spaced by the shell).
import { api } from './api.js';
import { h, href, link, time, counts, table, dash } from './dom.js';
import { operatorSection } from './operators.js';

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
      table('Workgroups: rate-limit pauses and unfinished tasks', [
        ['Workgroup', (w) => h('code', {}, w.name)],
        ['Paused', (w) => (w.isPaused ? h('span', {}, h('strong', {}, 'Yes'), ' until ', time(w.pausedUntil)) : 'No')],
        ['Reason', (w) => w.reason ?? dash()],
        ['Unfinished tasks', (w) => counts(w.taskCounts)],
        ['Actions', (w) => h('div', { class: 'actions' },
          ctx.button('Pause…', () => ctx.pauseWorkgroup(w.name),
            { aria: `Pause workgroup ${w.name}`, key: w.name }),
          w.isPaused && ctx.button('Resume', () => api.resumeWorkgroup(w.name),
            { aria: `Resume workgroup ${w.name}`, key: w.name }))],
      ], workgroups, 'No workgroup has been paused yet.')),
    operatorSection(operators, ctx));
  return { title: 'Overview', node };
}

const num = (n) => h('span', { class: 'num' }, Number.isFinite(n) ? n.toLocaleString() : '—');
