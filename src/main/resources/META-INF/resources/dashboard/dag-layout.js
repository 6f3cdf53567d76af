// A layered drawing of a DAG, without a library: longest-path layers (every node one row below its deepest
// parent), then the order within each row by barycentre sweeps (each node moves towards the mean position of its
// neighbours in the row above, then below, a few passes), which removes most crossings of a typical workflow.

/**
 * parents[i]: the indices of node i's parents. Returns a layer per node: 0 for roots. Nodes on a cycle (the API
 * refuses cycles; this only guards the drawing) are put below every other node.
 */
export function longestPathLayers(parents) {
  const n = parents.length;
  const children = Array.from({ length: n }, () => []);
  const waiting = new Int32Array(n);
  parents.forEach((ps, i) => {
    for (const p of ps) {
      children[p].push(i);
      waiting[i]++;
    }
  });
  const layer = new Int32Array(n);
  const queue = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) queue.push(i);
  let deepest = 0;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    deepest = Math.max(deepest, layer[v]);
    for (const c of children[v]) {
      if (layer[v] + 1 > layer[c]) layer[c] = layer[v] + 1;
      if (--waiting[c] === 0) queue.push(c);
    }
  }
  if (queue.length < n) for (let i = 0; i < n; i++) if (waiting[i] > 0) layer[i] = deepest + 1;
  return layer;
}

/**
 * rowOf[i]: the row of node i (any numbers: only their order counts, gaps close up); edges: [from, to] pairs of
 * node indices. Returns column and row per node, columns centred on 0, and the widest row's size.
 */
export function layeredLayout(rowOf, edges, sweeps = 4) {
  const n = rowOf.length;
  const values = [...new Set(rowOf)].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const row = Int32Array.from(rowOf, (v) => index.get(v));
  const rows = values.map(() => []);
  for (let i = 0; i < n; i++) rows[row[i]].push(i);
  const above = Array.from({ length: n }, () => []);
  const below = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    if (row[a] < row[b]) {
      below[a].push(b);
      above[b].push(a);
    } else if (row[a] > row[b]) {
      below[b].push(a);
      above[a].push(b);
    }
  }
  const column = new Float64Array(n);
  const place = (list) => list.forEach((v, i) => { column[v] = i - (list.length - 1) / 2; });
  rows.forEach(place);
  const sortBy = (list, neighbours) => {
    const key = new Map();
    for (const v of list) {
      const ns = neighbours[v];
      let sum = 0;
      for (const u of ns) sum += column[u];
      key.set(v, ns.length ? sum / ns.length : column[v]);
    }
    list.sort((a, b) => key.get(a) - key.get(b));
    place(list);
  };
  for (let s = 0; s < sweeps; s++) {
    for (let r = 1; r < rows.length; r++) sortBy(rows[r], above);
    for (let r = rows.length - 2; r >= 0; r--) sortBy(rows[r], below);
  }
  return { column, row, rows: rows.length, widest: Math.max(0, ...rows.map((l) => l.length)) };
}
