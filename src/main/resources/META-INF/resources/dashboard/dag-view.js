// A group's DAG as inline SVG: a node per task (name, channel, coloured by state), edges parent → child, rows from
// the layered layout, pan (drag), zoom (wheel, buttons), a click on a node opens the task. Beyond DETAIL_LIMIT tasks
// the tasks are drawn as aggregates, one per channel and row band, with a bar of their states; a click expands
// one. A task held by a pause, a cap, a budget or its run-after time has an amber outline and dot (shapes, not
// symbols: a symbol may be missing from the reader's fonts), and its tooltip says why (the service's waitingFor).
// Names are user data: they reach the SVG only as text nodes and attribute values.
import { longestPathLayers, layeredLayout } from './dag-layout.js';
import { href } from './dom.js';
import { reasons, isHeld, isPaused } from './waiting.js';

const SVG = 'http://www.w3.org/2000/svg';
export const DETAIL_LIMIT = 300; // tasks drawn one by one; more are aggregated
const AGGREGATES_LIMIT = 150; // aggregates drawn at most: bands of rows widen until they fit
const EXPAND_LIMIT = 300; // tasks of an expanded aggregate drawn one by one; the rest stay aggregated
const W = 168;
const H = 46;
const GAP_X = 28;
const GAP_Y = 64;
const WRAP = 30; // nodes on one line of a row
const STATES = ['complete', 'running', 'ready', 'scheduled', 'waiting', 'blocked', 'failed', 'cancelled'];
const KNOWN = new Set(STATES);

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}

const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const stateClass = (state) => (KNOWN.has(state) ? `s-${state}` : 's-unknown');

export class DagView {
  constructor() {
    this.tasks = [];
    this.signature = '';
    this.expanded = new Set();
    this.view = { k: 1, x: 0, y: 0 };
    this.moved = false; // by the user: until then the graph is kept fitted to the box
    this.summary = document.createElement('span');
    this.summary.className = 'muted';
    this.summary.setAttribute('role', 'status');
    const tool = (label, aria, run) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.setAttribute('aria-label', aria);
      b.addEventListener('click', run);
      return b;
    };
    this.collapse = tool('Collapse all', 'Collapse every expanded aggregate', () => {
      this.expanded.clear();
      this.build();
    });
    this.toolbar = document.createElement('div');
    this.toolbar.className = 'dag-tools';
    this.toolbar.append(tool('+', 'Zoom in', () => this.zoom(1.25)), tool('−', 'Zoom out', () => this.zoom(0.8)),
      tool('Fit', 'Fit the graph to the view', () => this.fit()), this.collapse, this.summary);
    this.viewport = s('g', { class: 'viewport' });
    this.svg = s('svg', { class: 'dag', role: 'group', 'aria-label': 'The group\'s tasks as a graph' }, this.viewport);
    this.element = document.createElement('div');
    this.element.className = 'dag-wrap';
    this.element.append(this.toolbar, this.svg);
    this.panAndZoom();
    // The box gets its size once on the page, and changes with the window.
    new ResizeObserver(() => {
      if (!this.moved) this.fit();
    }).observe(this.svg);
  }

  /** New data of the group: redrawn when tasks or edges changed, else only the states are updated. */
  update(graph) {
    const tasks = graph.tasks;
    const signature = `${tasks.length}|${tasks.map((t) => `${t._id}<${t.parentIds.join(',')}`).join(';')}`;
    this.totalTasks = graph.totalTasks;
    if (signature === this.signature) {
      tasks.forEach((t) => this.patch(t));
      return;
    }
    this.signature = signature;
    this.tasks = tasks.map((t) => ({ ...t }));
    this.index = new Map(this.tasks.map((t, i) => [t._id, i]));
    this.parents = this.tasks.map((t) => t.parentIds.map((p) => this.index.get(p)).filter((p) => p !== undefined));
    this.layer = longestPathLayers(this.parents);
    this.band = this.chooseBand();
    this.build();
  }

  /** A task document of an event; false when the task is not drawn (created since: the caller re-reads). */
  patch(task) {
    const i = this.index?.get(task._id);
    if (i === undefined) return false;
    const t = this.tasks[i];
    const why = JSON.stringify(task.waitingFor ?? []);
    if (t.state === task.state && JSON.stringify(t.waitingFor ?? []) === why) return true;
    t.state = task.state;
    t.waitingFor = task.waitingFor;
    const unit = this.units[this.unitOf[i]];
    if (unit.kind === 'task') this.paintTask(unit.el, t);
    else this.paintAggregate(unit);
    return true;
  }

  // ---- Level of detail: every task, or aggregates by (row band, channel) ----

  chooseBand() {
    if (this.tasks.length <= DETAIL_LIMIT) return 0;
    const deepest = this.layer.reduce((a, b) => Math.max(a, b), 0);
    for (let band = 1; ; band *= 2) {
      const keys = new Set();
      this.tasks.forEach((t, i) => keys.add(`${Math.floor(this.layer[i] / band)}\u0000${t.channel}`));
      if (keys.size <= AGGREGATES_LIMIT || band > deepest) return band;
    }
  }

  aggregateKey(i) {
    return `${Math.floor(this.layer[i] / this.band)}\u0000${this.tasks[i].channel}`;
  }

  build() {
    const units = [];
    const byKey = new Map();
    const unitOf = new Int32Array(this.tasks.length);
    const shown = new Map(); // expanded aggregate → tasks drawn one by one so far
    this.tasks.forEach((t, i) => {
      let key = null;
      if (this.band > 0) {
        key = this.aggregateKey(i);
        if (this.expanded.has(key)) {
          const n = shown.get(key) ?? 0;
          if (n < EXPAND_LIMIT) {
            shown.set(key, n + 1);
            key = null;
          } else {
            key = `${key}\u0000more`;
          }
        }
      }
      if (key === null) {
        unitOf[i] = units.length;
        units.push({ kind: 'task', task: i, row: this.layer[i], members: [i] });
        return;
      }
      let u = byKey.get(key);
      if (u === undefined) {
        u = units.length;
        byKey.set(key, u);
        const base = key.split('\u0000').slice(0, 2).join('\u0000');
        units.push({ kind: 'aggregate', key: base, more: key.endsWith('\u0000more'), channel: t.channel,
          row: Math.floor(this.layer[i] / this.band) * this.band, members: [] });
      }
      unitOf[i] = u;
      units[u].members.push(i);
    });
    const edgeSet = new Map();
    this.parents.forEach((ps, child) => {
      for (const p of ps) {
        const a = unitOf[p];
        const b = unitOf[child];
        if (a !== b) edgeSet.set(`${a},${b}`, (edgeSet.get(`${a},${b}`) ?? 0) + 1);
      }
    });
    const edges = [...edgeSet.keys()].map((k) => k.split(',').map(Number));
    this.units = units;
    this.unitOf = unitOf;
    const layout = layeredLayout(units.map((u) => u.row), edges);
    this.draw(units, edges, layout);
    const aggregates = units.filter((u) => u.kind === 'aggregate').length;
    this.summary.textContent = aggregates === 0
      ? `${this.tasks.length} tasks`
      : `${this.tasks.length} tasks in ${aggregates} aggregates by channel and level (click one to expand)`;
    if (this.totalTasks > this.tasks.length) this.summary.textContent += `; the first ${this.tasks.length} of ${this.totalTasks}`;
    this.collapse.hidden = this.expanded.size === 0;
    if (!this.moved) this.fit();
  }

  // ---- Drawing ----

  draw(units, edges, layout) {
    // A row wider than WRAP nodes (an expanded aggregate) continues on the next lines, as text wraps.
    const size = new Int32Array(layout.rows);
    for (let u = 0; u < units.length; u++) size[layout.row[u]]++;
    const top = new Float64Array(layout.rows + 1);
    for (let r = 0; r < layout.rows; r++) top[r + 1] = top[r] + Math.max(1, Math.ceil(size[r] / WRAP));
    const at = (u) => {
      const n = size[layout.row[u]];
      const i = Math.round(layout.column[u] + (n - 1) / 2);
      const across = Math.min(n, WRAP);
      return { col: (i % WRAP) - (across - 1) / 2, line: top[layout.row[u]] + Math.floor(i / WRAP) };
    };
    const place = units.map((_, u) => at(u));
    const x = (u) => place[u].col * (W + GAP_X);
    const y = (u) => place[u].line * (H + GAP_Y);
    const widest = Math.min(WRAP, layout.widest);
    const lines = s('g', { class: 'edges' });
    for (const [a, b] of edges) {
      const x1 = x(a);
      const y1 = y(a) + H / 2;
      const x2 = x(b);
      const y2 = y(b) - H / 2;
      const bend = Math.max(24, (y2 - y1) / 2);
      lines.append(s('path', { d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}` }));
    }
    const nodes = s('g', { class: 'nodes' });
    units.forEach((u, i) => {
      const g = u.kind === 'task' ? this.taskNode(u) : this.aggregateNode(u);
      g.setAttribute('transform', `translate(${x(i) - W / 2},${y(i) - H / 2})`);
      nodes.append(g);
    });
    this.bounds = {
      x: -((widest - 1) / 2) * (W + GAP_X) - W / 2 - 20,
      y: -H / 2 - 20,
      w: Math.max(1, widest) * (W + GAP_X) + 40,
      h: Math.max(1, top[layout.rows]) * (H + GAP_Y) + 40,
    };
    this.viewport.replaceChildren(lines, nodes);
  }

  taskNode(u) {
    const t = this.tasks[u.task];
    const a = s('a', { href: href.task(t._id), class: 'node', 'data-id': t._id },
      s('title', {}, ''), s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: 19, class: 'name' }, clip(t.name ?? '', 22)),
      s('text', { x: 10, y: 36, class: 'sub' }, ''), s('circle', { class: 'mark', cx: W - 10, cy: 10, r: 4 }));
    u.el = a;
    this.paintTask(a, t);
    return a;
  }

  paintTask(a, t) {
    const paused = isPaused(t.waitingFor) ? ' paused' : '';
    const held = isHeld(t.waitingFor) ? ' held' : '';
    a.setAttribute('class', `node ${stateClass(t.state)}${paused}${held}`);
    a.setAttribute('data-state', t.state);
    a.querySelector('title').textContent = [`${t.name} (${t.state}) · ${t.channel}`, ...reasons(t.waitingFor)]
      .join('\n');
    a.querySelector('.sub').textContent = clip(`${t.state} · ${t.channel}`, 26);
  }

  aggregateNode(u) {
    const g = s('g', { class: 'node aggregate', role: 'button', tabindex: 0, 'data-key': u.key },
      s('title', {}, ''), s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: 17, class: 'name' }, clip(u.channel, 22)),
      s('g', { class: 'bar' }), s('text', { x: 10, y: 40, class: 'sub' }, ''));
    u.el = g;
    const expand = () => {
      if (u.more) return;
      this.expanded.add(u.key);
      this.build();
    };
    g.addEventListener('click', expand);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        expand();
      }
    });
    this.paintAggregate(u);
    return g;
  }

  paintAggregate(u) {
    const counts = new Map();
    let held = 0;
    for (const i of u.members) {
      counts.set(this.tasks[i].state, (counts.get(this.tasks[i].state) ?? 0) + 1);
      if (isHeld(this.tasks[i].waitingFor)) held++;
    }
    const bar = u.el.querySelector('.bar');
    const parts = [];
    let left = 10;
    const width = W - 20;
    for (const state of [...STATES, ...[...counts.keys()].filter((k) => !KNOWN.has(k))]) {
      const n = counts.get(state);
      if (!n) continue;
      const w = (n / u.members.length) * width;
      parts.push(s('rect', { x: left, y: 22, width: Math.max(w, 1), height: 6, class: stateClass(state) }));
      left += w;
    }
    bar.replaceChildren(...parts);
    const text = [...counts].sort((a, b) => STATES.indexOf(a[0]) - STATES.indexOf(b[0]))
      .map(([state, n]) => `${n} ${state}`).join(', ') + (held ? `; ${held} held` : '');
    u.el.setAttribute('data-count', u.members.length);
    u.el.querySelector('.sub').textContent = clip(`${u.members.length} tasks${u.more ? ' more' : ''}`, 26);
    u.el.querySelector('title').textContent = `${u.channel}: ${u.members.length} tasks (${text})`
      + (u.more ? '' : '. Click to draw them one by one.');
  }

  // ---- Pan and zoom: the viewport's transform; a drag that moved is not a click ----

  apply() {
    const { k, x, y } = this.view;
    this.viewport.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
  }

  fit() {
    const box = this.svg.getBoundingClientRect();
    if (!this.bounds || box.width === 0) return;
    const k = Math.min(1.5, box.width / this.bounds.w, box.height / this.bounds.h);
    this.view = { k, x: (box.width - this.bounds.w * k) / 2 - this.bounds.x * k, y: -this.bounds.y * k + 4 };
    this.moved = false;
    this.apply();
  }

  zoom(factor, cx, cy) {
    const box = this.svg.getBoundingClientRect();
    const px = cx ?? box.width / 2;
    const py = cy ?? box.height / 2;
    const k = Math.min(4, Math.max(0.02, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { k, x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f };
    this.moved = true;
    this.apply();
  }

  panAndZoom() {
    let drag = null;
    let moved = false;
    this.svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const box = this.svg.getBoundingClientRect();
      this.zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    this.svg.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y };
      moved = false;
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!moved && Math.hypot(dx, dy) < 4) return;
      if (!moved) this.svg.setPointerCapture(e.pointerId);
      moved = true;
      this.moved = true;
      this.view = { ...this.view, x: drag.vx + dx, y: drag.vy + dy };
      this.apply();
    });
    const end = () => { drag = null; };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    // Capture: a drag that ends on a node neither opens the task nor expands the aggregate.
    this.svg.addEventListener('click', (e) => {
      if (moved) {
        e.preventDefault();
        e.stopPropagation();
        moved = false;
      }
    }, true);
  }
}
