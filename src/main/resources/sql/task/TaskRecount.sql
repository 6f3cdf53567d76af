-- Recomputes the open-parents counter of the given tasks from their edges (task_parent_open) and settles every task that is not
-- running or finished into blocked, waiting, scheduled or ready (task_settles). Tasks further below a newly
-- blocked one are blocked afterwards by TaskBlock.
WITH locked AS (
  SELECT id, runs_when_parents_done FROM task WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
), counts AS (
  SELECT l.id, count(p.id) FILTER (WHERE task_parent_open(l.runs_when_parents_done, p.state)) AS open,
         coalesce(bool_or(task_parent_dooms(l.runs_when_parents_done, p.state)), false) AS doomed
  FROM locked l LEFT JOIN task_edge e ON e.child_id = l.id LEFT JOIN task p ON p.id = e.parent_id
  GROUP BY l.id
)
UPDATE task t SET
  parents_left = c.open,
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_settles(t.state, t.available_at, c.open, c.doomed, t.run_after, t.workgroup) n)
FROM counts c
WHERE t.id = c.id
