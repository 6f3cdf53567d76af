// Schedules: the list (next fire time, latest run linked to its group, pause, resume, run now, edit, delete) and a
// schedule's page (its next fire times and its runs); the editor shows the next fire times before saving.
import { api } from './api.js';
import { h, href, link, time, table, fields, json, dash } from './dom.js';

const PREVIEW_COUNT = 5;
const PREVIEW_DELAY_MS = 300; // after the last keystroke, not at each one

const when = (s) => (s.cron ? h('span', {}, h('code', {}, s.cron), ` (${s.timeZone})`) : `every ${s.everySeconds} s`);

function run(r) {
  if (!r) return dash();
  const at = time(r.fireTime);
  if (r.taskGroupId) return h('span', {}, at, ' → ', link(href.group(r.taskGroupId), 'group'), r.manual ? ' (run now)' : '');
  return h('span', {}, at, ' ', h('span', { class: 'muted' }, `skipped: ${r.skipped}`));
}

function actions(s, ctx) {
  return h('div', { class: 'actions' },
    ctx.button('Edit…', () => edit(s), { aria: `Edit schedule ${s.name}`, key: s._id }),
    s.isPaused
      ? ctx.button('Resume', () => api.resumeSchedule(s._id), { aria: `Resume schedule ${s.name}`, key: s._id })
      : ctx.button('Pause', () => api.pauseSchedule(s._id), { aria: `Pause schedule ${s.name}`, key: s._id }),
    ctx.button('Run now', () => api.runSchedule(s._id), { aria: `Run schedule ${s.name} now`, key: s._id }),
    ctx.button('Delete', async () => { await api.deleteSchedule(s._id); return href.schedules(); }, {
      aria: `Delete schedule ${s.name}`, key: s._id, danger: true,
      confirm: `Delete schedule "${s.name}" and its history?\n\nThe groups it created stay.`,
    }));
}

export async function scheduleList(params, ctx) {
  const schedules = await api.schedules();
  return {
    title: 'Schedules',
    node: h('div', {},
      h('h1', { tabindex: -1 }, 'Schedules'),
      h('div', { class: 'actions' }, ctx.button('New schedule…', () => edit(null), { key: 'new-schedule' })),
      table('Schedules: task groups created at the fire times of a cron expression or an interval', [
        ['Name', (s) => link(href.schedule(s._id), s.name)],
        ['When', when],
        ['Next fire time', (s) => (s.isPaused ? h('strong', {}, 'Paused') : s.nextFireTime ? time(s.nextFireTime) : dash())],
        ['Last run', (s) => run(s.lastRun)],
        ['Actions', (s) => actions(s, ctx)],
      ], schedules, 'No schedule.')),
  };
}

export async function scheduleDetail({ id }, ctx) {
  const [s, runs] = await Promise.all([api.schedule(id), api.scheduleRuns(id, 50)]);
  const next = s.isPaused ? [] : await api.scheduleNext(id, PREVIEW_COUNT);
  return {
    title: s.name,
    node: h('div', {},
      h('p', {}, link(href.schedules(), '← Schedules')),
      h('h1', { tabindex: -1 }, s.name),
      actions(s, ctx),
      fields([['When', when(s)], ['Overlap', s.overlap], ['Catch-up', s.catchUp],
        ['Start', s.startAt ? time(s.startAt) : dash()], ['End', s.endAt ? time(s.endAt) : dash()],
        ['Paused', s.isPaused ? 'Yes' : 'No']]),
      h('h2', {}, 'Next fire times'),
      next.length ? h('ol', { id: 'next-fire-times' }, next.map((t) => h('li', {}, time(t)))) : h('p', { class: 'muted' }, 'None.'),
      h('h2', {}, 'Runs'),
      table('Runs, newest first', [['Run', run]], runs, 'No run yet.'),
      h('h2', {}, 'Template'),
      json(s.template)),
  };
}

const $ = (id) => document.getElementById(id);

/** The body the editor describes; throws with a message when the template is not JSON. */
function body() {
  const every = $('schedule-every').value.trim();
  const b = {
    name: $('schedule-name').value, timeZone: $('schedule-zone').value.trim() || 'UTC',
    overlap: $('schedule-overlap').value, catchUp: $('schedule-catchup').value, isPaused: $('schedule-paused').checked,
  };
  if (every) b.everySeconds = Number(every);
  else b.cron = $('schedule-cron').value;
  try {
    b.template = JSON.parse($('schedule-template').value);
  } catch (x) {
    throw new Error(`The template is not JSON: ${x.message}`);
  }
  return b;
}

const EXAMPLE_TEMPLATE = {
  group: { name: 'nightly {fireTime}' },
  tasks: [{ _id: 'a', name: 'A', channel: 'c' }, { _id: 'b', name: 'B', channel: 'c', parentIds: ['a'] }],
};

/** The schedule dialog, filled with s (null: a new schedule); resolves once saved or cancelled. */
function edit(s) {
  const dialog = $('schedule-dialog');
  const form = dialog.querySelector('form');
  const error = $('schedule-error');
  const preview = $('schedule-preview');
  $('schedule-title').textContent = s ? 'Edit schedule' : 'New schedule';
  $('schedule-name').value = s?.name ?? '';
  $('schedule-cron').value = s?.cron ?? (s ? '' : '30 2 * * *');
  $('schedule-every').value = s?.everySeconds ?? '';
  $('schedule-zone').value = s?.timeZone ?? 'UTC';
  $('schedule-overlap').value = s?.overlap ?? 'allow';
  $('schedule-catchup').value = s?.catchUp ?? 'latest';
  $('schedule-paused').checked = Boolean(s?.isPaused);
  $('schedule-template').value = JSON.stringify(s?.template ?? EXAMPLE_TEMPLATE, null, 2);
  error.hidden = true;
  let pending = null;
  let asked = 0; // an answer to an older preview that comes after a newer one is dropped
  const refresh = async () => {
    const mine = ++asked;
    let b;
    try {
      b = body();
    } catch (x) {
      preview.replaceChildren(h('li', { class: 'muted' }, x.message));
      return;
    }
    try {
      const times = await api.previewSchedule(b, PREVIEW_COUNT);
      if (mine !== asked) return;
      preview.replaceChildren(...(times.length ? times.map((t) => h('li', {}, time(t)))
        : [h('li', { class: 'muted' }, 'No fire time.')]));
    } catch (x) {
      if (mine === asked) preview.replaceChildren(h('li', { class: 'muted' }, x.message));
    }
  };
  const changed = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, PREVIEW_DELAY_MS);
  };
  refresh();
  dialog.showModal();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(pending);
      form.removeEventListener('submit', submit);
      form.removeEventListener('input', changed);
      dialog.removeEventListener('close', done);
      resolve();
    };
    const submit = async (e) => {
      e.preventDefault();
      if (e.submitter?.value === 'cancel') return dialog.close();
      try {
        const b = body();
        if (s) await api.updateSchedule(s._id, b);
        else await api.createSchedule(b);
        return dialog.close();
      } catch (x) {
        error.textContent = x.message;
        error.hidden = false;
        return undefined;
      }
    };
    form.addEventListener('submit', submit);
    form.addEventListener('input', changed);
    dialog.addEventListener('close', done);
  });
}
