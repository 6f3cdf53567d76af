// The dashboard's shell: hash routing, live updates (the event stream, or polling every 3 s while the stream is
// unavailable), the error banner and the action buttons the views use.
import { api, streams } from './api.js';
import { follow } from './events.js';
import { h } from './dom.js';
import { overview } from './overview.js';
import { groupList, groupDetail } from './groups.js';
import { taskDetail, channelView } from './tasks.js';
import { scheduleList, scheduleDetail } from './schedules.js';
import { workgroupList } from './workgroups.js';
import { failedView } from './failed.js';

const REFRESH_MS = 3000;
// Renders caused by events come at most this often, or three times the last render's duration if longer: a busy
// group sends many events, and a large one takes a while to read.
const LIVE_GAP_MS = 1000;
const $ = (id) => document.getElementById(id);
const main = $('main');
const autoRefresh = $('auto-refresh');

// ---- Routing: #/, #/groups, #/groups/<id> (#/group/<id> as before), #/task/<id>, #/channel/<name>, #/failed
// (?channel=&workgroup=), each with an optional ?page=N; #/workgroups, #/schedules, #/schedules/<id> ----

function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const cut = raw.indexOf('?');
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const search = new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1));
  const page = Math.max(1, Number.parseInt(search.get('page'), 10) || 1);
  // Split before decoding: an encoded '/' (%2F) belongs to the name, not to the path.
  const [view, arg, ...rest] = path.split('/').map(decodeURIComponent);
  const one = arg !== undefined && arg !== '' && rest.length === 0;
  if (view === '' && arg === undefined) return { nav: 'overview', render: overview, params: {} };
  if (view === 'groups' && arg === undefined) return { nav: 'groups', render: groupList, params: { page } };
  if ((view === 'group' || view === 'groups') && one) return { nav: 'groups', render: groupDetail, params: { id: arg, page } };
  if (view === 'task' && one) return { nav: 'groups', render: taskDetail, params: { id: arg } };
  if (view === 'workgroups' && arg === undefined) return { nav: 'workgroups', render: workgroupList, params: {} };
  if (view === 'schedules' && arg === undefined) return { nav: 'schedules', render: scheduleList, params: {} };
  if (view === 'schedules' && one) return { nav: 'schedules', render: scheduleDetail, params: { id: arg } };
  if (view === 'channel' && one) return { nav: 'overview', render: channelView, params: { name: arg, page } };
  if (view === 'failed' && arg === undefined) {
    return { nav: 'failed', render: failedView,
      params: { page, channel: search.get('channel') || undefined, workgroup: search.get('workgroup') || undefined } };
  }
  return { nav: null, render: notFound, params: {} };
}

async function notFound() {
  return {
    title: 'Not found',
    node: h('div', {}, h('h1', { tabindex: -1 }, 'No such view'),
      h('p', {}, 'Try the ', h('a', { href: '#/' }, 'overview'), ' or the ', h('a', { href: '#/groups' }, 'task groups'), '.')),
  };
}

// ---- Rendering: a view fetches everything first, then replaces the page in one step (no flicker) ----

let generation = 0; // a render that finishes after a newer one started is dropped
let timer = null;
let busy = 0; // actions in flight: no refresh under them
let shown = null; // the hash whose view is on screen
let onEvent = null; // the view on screen's handler of live events
let lastRenderMs = 0;

async function render({ navigated }) {
  clearTimeout(timer);
  const current = ++generation;
  if (navigated) main.setAttribute('aria-busy', 'true');
  try {
    const r = route();
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === r.nav) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const started = performance.now();
    const { title, node, events, onEvent: handler } = await r.render(r.params, ctx);
    if (current !== generation) return;
    lastRenderMs = performance.now() - started;
    swap(node, navigated);
    onEvent = handler ?? null;
    live.want(events ?? streams.all());
    shown = location.hash;
    document.title = `${title} · Crew`;
    hideError('load');
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    if (current !== generation) return;
    showError(e.message, 'load');
    // A refresh that fails keeps the last data on screen; a view that could not be shown at all says so.
    if (shown !== location.hash) {
      swap(h('div', {}, h('h1', { tabindex: -1 }, 'Could not load this view'),
        h('p', {}, 'The message is above. Back to the ', h('a', { href: '#/' }, 'overview'), '.')), navigated);
      shown = null;
      document.title = 'Error · Crew';
    }
  } finally {
    if (current === generation) main.removeAttribute('aria-busy');
  }
  schedule();
}

/**
 * Replaces the view. A new view takes the focus to its heading (screen readers announce it); a refresh puts the
 * focus back on the same heading, button or link, which would otherwise fall to the page every 3 s.
 */
function swap(node, navigated) {
  const focused = main.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  main.replaceChildren(node);
  if (navigated) {
    main.querySelector('h1')?.focus();
  } else if (focused) {
    [...main.querySelectorAll('h1, a, button')].find((el) => focusKey(el) === focused)?.focus();
  }
}
const focusKey = (el) => (el.tagName === 'H1' ? 'h1' : el.dataset?.key ?? el.getAttribute('href'));

/** Polling: only while live updates are wanted and the stream is not connected. */
function schedule() {
  clearTimeout(timer);
  if (autoRefresh.checked && !live.connected) timer = setTimeout(tick, REFRESH_MS);
}

function tick() {
  // Not while the tab is hidden, a dialog is open, or an action runs: wait for the next tick.
  if (document.hidden || document.querySelector('dialog[open]') || busy > 0) schedule();
  else render({ navigated: false });
}

// ---- Live updates: one stream at a time, the one the view on screen asks for ----

const live = {
  stream: null,
  connected: false,
  pending: null,
  lastLiveRender: 0,

  want(url) {
    if (!autoRefresh.checked) return this.stop();
    if (this.stream?.url === url) return undefined;
    this.stream?.close();
    this.connected = false;
    status('connecting');
    this.stream = follow(url, {
      onLive: () => {
        this.connected = true;
        status('live');
        clearTimeout(timer);
        this.soon(); // events sent while connecting are not replayed: read the state once
      },
      onEvent: (name, data) => {
        if (onEvent) onEvent(name, data);
        this.soon();
      },
      onDown: (reason) => {
        this.connected = false;
        status('polling', reason);
        schedule();
      },
    });
    return undefined;
  },

  stop() {
    this.stream?.close();
    this.stream = null;
    this.connected = false;
    clearTimeout(this.pending);
    this.pending = null;
    status('off');
  },

  /** A render soon, spaced from the last one. */
  soon() {
    if (this.pending) return;
    const gap = Math.max(LIVE_GAP_MS, 3 * lastRenderMs);
    const wait = Math.max(0, this.lastLiveRender + gap - performance.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      this.lastLiveRender = performance.now();
      if (document.hidden || document.querySelector('dialog[open]') || busy > 0) this.soon();
      else render({ navigated: false });
    }, wait);
  },
};

function status(state, reason) {
  const el = $('live');
  el.dataset.state = state;
  el.textContent = {
    connecting: 'Connecting…',
    live: 'Live',
    polling: 'Live updates unavailable: refreshing every 3 s',
    off: 'Updates off',
  }[state];
  el.title = reason ? `The event stream failed: ${reason}` : '';
}

// ---- Errors: load errors clear themselves once loading works again; action errors stay until dismissed ----

let errorSource = null;

function showError(message, source) {
  $('banner-text').textContent = message;
  $('banner').hidden = false;
  errorSource = source;
}

function hideError(source) {
  if (source && source !== errorSource) return;
  $('banner').hidden = true;
  errorSource = null;
}

// ---- What the views get: action buttons and the workgroup pause dialog ----

const ctx = {
  /**
   * A button that runs an API call, asks first when confirm is given, then refreshes the view. run may return a
   * hash to go to (after deleting what is on screen). aria: the accessible name when the label alone is ambiguous
   * (a "Pause" in every row); key: which record, so that focus survives a refresh.
   */
  button(label, run, { confirm, aria, key, title, danger } = {}) {
    const b = h('button', { type: 'button', class: danger ? 'danger' : null, 'aria-label': aria, title,
      dataset: { key: `${label}|${key ?? ''}` } }, label);
    b.addEventListener('click', async () => {
      if (confirm && !window.confirm(confirm)) return;
      busy++;
      b.disabled = true;
      let next = null;
      try {
        next = await run();
        hideError('action');
      } catch (e) {
        showError(e.message, 'action');
      } finally {
        busy--;
        b.disabled = false;
      }
      if (typeof next === 'string' && next !== location.hash) location.hash = next; // hashchange renders
      else render({ navigated: false });
    });
    return b;
  },

  /** Asks for the seconds and reason, then pauses; resolves when done or cancelled. */
  pauseWorkgroup(name) {
    const dialog = $('pause-dialog');
    $('pause-name').textContent = name;
    $('pause-reason').value = '';
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve, reject) => {
      dialog.addEventListener('close', () => {
        if (dialog.returnValue !== 'pause') return resolve();
        const seconds = Number.parseInt($('pause-seconds').value, 10);
        const reason = $('pause-reason').value.trim();
        api.pauseWorkgroup(name, seconds, reason || undefined).then(resolve, reject);
      }, { once: true });
    });
  },
};

// ---- Wiring ----

window.addEventListener('hashchange', () => render({ navigated: true }));
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && autoRefresh.checked && !live.connected) render({ navigated: false });
});
autoRefresh.addEventListener('change', () => {
  try {
    localStorage.setItem('crew.dashboard.autoRefresh', String(autoRefresh.checked));
  } catch {
    // Storage may be disabled; the toggle still works for this page.
  }
  if (autoRefresh.checked) render({ navigated: false });
  else {
    clearTimeout(timer);
    live.stop();
  }
});
$('refresh-now').addEventListener('click', () => render({ navigated: false }));
$('banner-close').addEventListener('click', () => hideError());
// The skip link must not change the hash: the hash is the route.
$('skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

try {
  autoRefresh.checked = localStorage.getItem('crew.dashboard.autoRefresh') !== 'false';
} catch {
  // Storage disabled: auto-refresh stays on.
}
render({ navigated: false });
