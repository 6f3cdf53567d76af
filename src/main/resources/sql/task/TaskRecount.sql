-- Recomputes the open-parents counter of the given tasks from their edges and settles every task that is not
-- running or finished into blocked, waiting, scheduled or ready (task_settles). Tasks further below a newly
-- blocked one are blocked afterwards by TaskBlock.
WITH locked AS (
  SELECT id FROM task WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
), counts AS (
  SELECT l.id, count(p.id) FILTER (WHERE p.state <> 'complete') AS open,
         coalesce(bool_or(p.state IN ('failed', 'blocked')), false) AS doomed
  FROM locked l LEFT JOIN task_edge e ON e.child_id = l.id LEFT JOIN task p ON p.id = e.parent_id
  GROUP BY l.id
)
UPDATE task t SET
  parents_left = c.open,
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_settles(t.state, t.available_at, c.open, c.doomed, t.run_after, t.workgroup) n)
FROM counts c
WHERE t.id = c.id
