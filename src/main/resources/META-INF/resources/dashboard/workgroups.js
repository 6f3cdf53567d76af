// Workgroups: each one's limits (cap, budget, parent), its live state (running, units left, held tasks), its pause,
// and the editor of its limits. The overview's workgroup table takes its columns and buttons from here.
import { api } from './api.js';
import { h, time, counts, table, dash, num } from './dom.js';

/** Columns shared with the overview. */
export const columns = {
  name: ['Workgroup', (w) => h('code', {}, w.name)],
  paused: ['Paused', (w) => (w.isPaused
    ? h('span', {}, h('strong', {}, 'Yes'), ' until ', time(w.pausedUntil)) : 'No')],
  reason: ['Reason', (w) => w.reason ?? dash()],
  tasks: ['Unfinished tasks', (w) => counts(w.taskCounts)],
  held: ['Held', (w) => num(w.held)],
};

/** Pause (asks how long) and, while paused, Resume; with limits, the button that opens the limits editor. */
export function actions(w, ctx, { limits = false } = {}) {
  return h('div', { class: 'actions' },
    limits && ctx.button('Limits…', () => edit(w), { aria: `Set limits of workgroup ${w.name}`, key: w.name }),
    ctx.button('Pause…', () => ctx.pauseWorkgroup(w.name), { aria: `Pause workgroup ${w.name}`, key: w.name }),
    w.isPaused && ctx.button('Resume', () => api.resumeWorkgroup(w.name),
      { aria: `Resume workgroup ${w.name}`, key: w.name }));
}

const running = (w) => (w.maxRunning == null ? `${w.running}` : `${w.running} of ${w.maxRunning}`);
const rate = (r) => (r == null ? dash() : `${r.limit} per ${r.periodSeconds} s, burst ${r.burst}`);

export async function workgroupList(_params, ctx) {
  const workgroups = await api.workgroups();
  const node = h('div', {},
    h('h1', { tabindex: -1 }, 'Workgroups'),
    h('p', { class: 'muted' }, 'A task counts against its workgroup and every ancestor: their caps, budgets and '
      + 'pauses all hold it. Held: ready or scheduled tasks that a pause, a full cap or an empty budget holds now.'),
    table('Workgroups: limits, live state and pauses', [
      columns.name,
      ['Parent', (w) => (w.parent == null ? dash() : h('code', {}, w.parent))],
      ['Running', (w) => running(w)],
      ['Budget', (w) => rate(w.rate)],
      ['Units left', (w) => num(w.unitsLeft)],
      ['Budget reset', (w) => time(w.budgetResetAt)],
      columns.held,
      columns.paused,
      columns.reason,
      columns.tasks,
      ['Actions', (w) => actions(w, ctx, { limits: true })],
    ], workgroups, 'No workgroup has limits, a pause or unfinished tasks.'));
  return { title: 'Workgroups', node };
}

const $ = (id) => document.getElementById(id);

/** A number field: empty is null (the part is removed); anything else goes to the service, which judges it. */
function number(id) {
  const value = $(id).value.trim();
  return value === '' ? null : Number(value);
}

/** The PUT body the editor describes: every part, so that an emptied field removes its limit. */
function body() {
  const limit = number('limits-rate-limit');
  const periodSeconds = number('limits-rate-period');
  const burst = number('limits-rate-burst');
  const noRate = limit == null && periodSeconds == null && burst == null;
  return {
    maxRunning: number('limits-max-running'),
    rate: noRate ? null : { limit, periodSeconds, ...(burst == null ? {} : { burst }) },
    parent: $('limits-parent').value.trim() || null,
  };
}

/** The limits dialog, filled with w's limits; resolves once saved or cancelled. */
function edit(w) {
  const dialog = $('limits-dialog');
  const form = dialog.querySelector('form');
  const error = $('limits-error');
  $('limits-name').textContent = w.name;
  $('limits-max-running').value = w.maxRunning ?? '';
  $('limits-rate-limit').value = w.rate?.limit ?? '';
  $('limits-rate-period').value = w.rate?.periodSeconds ?? '';
  $('limits-rate-burst').value = w.rate?.burst ?? '';
  $('limits-parent').value = w.parent ?? '';
  error.hidden = true;
  dialog.showModal();
  return new Promise((resolve) => {
    const done = () => {
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('close', done);
      resolve();
    };
    const submit = async (e) => {
      e.preventDefault();
      if (e.submitter?.value === 'cancel') return dialog.close();
      try {
        await api.setWorkgroupLimits(w.name, body());
        return dialog.close();
      } catch (x) {
        error.textContent = x.message;
        error.hidden = false;
        return undefined;
      }
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('close', done);
  });
}
