-- Fan-in: the children of tasks that just completed lose one open parent per completed parent, in the same
-- transaction as the completion. A child whose last parent completed becomes ready (or scheduled) at once. A child
-- that runs when its parents are done counted a parent that had failed, been blocked or cancelled as ended already
-- (task_parent_open): such a parent completing now, a duplicate merged (:endedParentIds), costs it nothing.
-- Children are locked in id order so that parents completing at the same instant cannot deadlock: one lock per
-- child, taken by a primary-key probe as the sorted edges are read. The parents' edges too are read by index
-- probes from a LATERAL sub-select that OFFSET 0 keeps whole: a join the planner could reorder would scan
-- task_edge and task whole while they are small. The update finds each child by key from the array of the locked
-- ones (text_elements: an estimate of one row, where a guess of several would have the planner hash them and read
-- the task table whole while it believes the table small).
WITH edges AS (
  SELECT e.child_id, count(*)::int AS n,
         count(*) FILTER (WHERE p.id = ANY(CAST(:endedParentIds AS text[])))::int AS ended
  FROM text_elements(CAST(:parentIds AS text[])) AS p(id)
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = p.id OFFSET 0) e
  GROUP BY e.child_id
), locked AS (
  SELECT c.id, edges.n - CASE WHEN c.runs_when_parents_done THEN edges.ended ELSE 0 END AS n
  FROM (SELECT child_id, n, ended FROM edges ORDER BY child_id) edges
  CROSS JOIN LATERAL (SELECT c.id, c.runs_when_parents_done FROM task c WHERE c.id = edges.child_id
                      FOR NO KEY UPDATE) c
), child AS (
  SELECT c.id, f.counts[c.i] AS n
  FROM (SELECT array_agg(l.id ORDER BY l.id) AS ids, array_agg(l.n ORDER BY l.id) AS counts FROM locked l) f
  CROSS JOIN LATERAL text_elements(f.ids) WITH ORDINALITY AS c(id, i)
)
UPDATE task t SET
  parents_left = t.parents_left - l.n,
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_settles(t.state, t.available_at, t.parents_left - l.n, t.state = 'blocked',
                                             t.run_after, t.workgroup) n)
FROM child l
WHERE t.id = l.id
