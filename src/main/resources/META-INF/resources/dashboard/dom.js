// DOM building blocks. Everything the API returns is user data: it only ever reaches the page as text nodes and
// attribute values set one by one, never parsed as HTML. Links to views are built here, with encoded segments.
const enc = encodeURIComponent;

/** h('a', {href, class}, child, ...): children are nodes, or values shown as text; null and false are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export const href = {
  overview: () => '#/',
  groups: (page = 1) => (page > 1 ? `#/groups?page=${page}` : '#/groups'),
  group: (id, page = 1) => `#/groups/${enc(id)}${page > 1 ? `?page=${page}` : ''}`,
  task: (id) => `#/task/${enc(id)}`,
  channel: (name, page = 1) => `#/channel/${enc(name)}${page > 1 ? `?page=${page}` : ''}`,
  workgroups: () => '#/workgroups',
  schedules: () => '#/schedules',
  schedule: (id) => `#/schedules/${enc(id)}`,
  failed: (page = 1, channel, workgroup) => {
    const q = new URLSearchParams(Object.entries({ page: page > 1 ? page : null, channel, workgroup })
      .filter(([, v]) => v != null && v !== '')).toString();
    return `#/failed${q ? `?${q}` : ''}`;
  },
};

export const link = (url, text, title) => h('a', { href: url, title }, text);

/** Ids are 24 hex characters; the tail tells them apart (the head is a timestamp), the title holds all of it. */
export const shortId = (id) => h('code', { title: id }, typeof id === 'string' && id.length > 8 ? `…${id.slice(-8)}` : id);

export const dash = () => h('span', { class: 'muted', 'aria-label': 'none' }, '—');

/** A count or amount, its digits aligned in a column; none when it is not a number. */
export const num = (n) => (Number.isFinite(n) ? h('span', { class: 'num' }, n.toLocaleString()) : dash());

/**
 * A date of the API (ISO-8601 UTC) as text in the reader's time zone; short: only the time of day when it is today
 * (a wait that ends soon reads "until 14:03:20").
 */
export function localTime(iso, short = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (short && d.toDateString() === new Date().toDateString()) return clock;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}

/** A date of the API in the reader's time zone, the exact value in its title. */
export function time(iso) {
  if (!iso) return dash();
  return h('time', { datetime: iso, title: iso }, localTime(iso));
}

export const json = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2) ?? 'undefined');

// Class names come from this list only: a state or status the dashboard does not know is shown unstyled.
const KNOWN = new Set(['waiting', 'ready', 'scheduled', 'running', 'complete', 'failed', 'blocked', 'cancelled',
  'empty', 'paused', 'completed', 'abandoned', 'merged', 'reset', 'timed_out']);
export const badge = (value) => h('span', { class: KNOWN.has(value) ? `badge s-${value}` : 'badge' }, value ?? '—');

/**
 * {state: count} as a line that reads "2 running · 5 waiting", in lifecycle order, unknown states last. Given the
 * total, the complete tasks lead: "3 of 10 complete · 2 running · 5 waiting".
 */
export function counts(byState, total) {
  const order = ['running', 'ready', 'scheduled', 'waiting', 'blocked', 'failed', 'cancelled', 'complete'];
  const all = byState || {};
  const items = Object.entries(all).filter(([state, n]) => n > 0 && (total == null || state !== 'complete'))
    .sort(([a], [b]) => rank(order, a) - rank(order, b))
    .map(([state, n]) => h('li', {}, `${n} `, badge(state)));
  if (total === 0) return h('span', { class: 'muted' }, 'No task yet');
  if (total != null) items.unshift(h('li', {}, `${all.complete ?? 0} of ${total} `, badge('complete')));
  return items.length === 0 ? dash() : h('ul', { class: 'counts' }, items);
}
const rank = (order, s) => (order.includes(s) ? order.indexOf(s) : order.length);

/** A group as people call it: its name, else its id. */
export const groupName = (g) => (g.name ? g.name : h('span', { class: 'muted' }, `(no name) ${g._id}`));

export function progress(fraction) {
  const p = Math.max(0, Math.min(1, Number(fraction) || 0));
  const percent = `${Math.round(p * 100)} %`;
  return h('span', { class: 'progress' }, h('progress', { max: 1, value: p, 'aria-label': percent }), percent);
}

/**
 * A semantic table: columns are [header, row => cell content]; rows of data; caption for screen readers
 * and the eye; empty: what to say when there is no row.
 */
export function table(caption, columns, rows, empty = 'Nothing yet.') {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row))))))));
}

/** Definition list of label / content pairs for one record. */
export const fields = (pairs) => h('dl', { class: 'fields' }, pairs.map(([label, content]) =>
  [h('dt', {}, label), h('dd', {}, content ?? dash())]));

export function pager(page, hasNext, toHref, summary) {
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    page > 1 ? h('a', { href: toHref(page - 1), rel: 'prev' }, '← Previous') : h('span', { class: 'muted' }, '← Previous'),
    h('span', {}, summary),
    hasNext ? h('a', { href: toHref(page + 1), rel: 'next' }, 'Next →') : h('span', { class: 'muted' }, 'Next →'));
}
