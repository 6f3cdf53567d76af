-- Blocks each given waiting task that has a failed, blocked or cancelled parent, and every waiting task below it
-- (task_parent_dooms, written out so that the parents stay a probe of the edge index: a task that runs when its
-- parents are done is never blocked; TaskRecount settles it).
-- Returns the tasks it blocked.
-- Every task and edge is an index probe, as in TaskUnblock; the tasks still waiting are locked by their probe, so
-- that the update (by key from their array, as in TaskUnblock) needs no condition of its own.
WITH RECURSIVE doomed AS (
  SELECT t.id
  FROM text_elements(CAST(:ids AS text[])) AS i(id)
  CROSS JOIN LATERAL (
    SELECT t.id FROM task t WHERE t.id = i.id AND t.state = 'waiting' AND NOT t.runs_when_parents_done OFFSET 0) t
  WHERE EXISTS (
    SELECT 1 FROM task_edge e
    CROSS JOIN LATERAL (SELECT 1 FROM task p
                        WHERE p.id = e.parent_id AND p.state IN ('failed', 'blocked', 'cancelled') OFFSET 0) p
    WHERE e.child_id = t.id)
  UNION
  SELECT c.id
  FROM doomed d
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = d.id OFFSET 0) e
  CROSS JOIN LATERAL (
    SELECT c.id FROM task c
    WHERE c.id = e.child_id AND c.state IN ('waiting', 'blocked') AND NOT c.runs_when_parents_done OFFSET 0) c
), waiting AS (
  SELECT w.id
  FROM doomed d
  CROSS JOIN LATERAL (SELECT w.id FROM task w WHERE w.id = d.id AND w.state = 'waiting' FOR NO KEY UPDATE) w
)
UPDATE task t SET
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, true, t.run_after, t.workgroup) n)
FROM (SELECT array_agg(w.id) AS ids FROM waiting w) w CROSS JOIN LATERAL text_elements(w.ids) AS c(id)
WHERE t.id = c.id
RETURNING t.id
