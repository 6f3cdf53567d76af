-- Recomputes the open-parents counter of the given tasks from their edges and settles every task that is not
-- running or finished into waiting, scheduled or ready. Blocking is re-derived afterwards by TaskBlock.
WITH locked AS (
  SELECT id FROM task WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
), counts AS (
  SELECT l.id, count(p.id) FILTER (WHERE p.state <> 'complete') AS open
  FROM locked l LEFT JOIN task_edge e ON e.child_id = l.id LEFT JOIN task p ON p.id = e.parent_id
  GROUP BY l.id
)
UPDATE task t SET
  parents_left = c.open,
  state = CASE WHEN t.state NOT IN ('waiting', 'blocked', 'scheduled', 'ready') THEN t.state
               WHEN c.open > 0 THEN 'waiting'
               WHEN task_hold_until(t.run_after, t.workgroup) IS NULL THEN 'ready'
               ELSE 'scheduled' END::task_state,
  available_at = CASE WHEN t.state NOT IN ('waiting', 'blocked', 'scheduled', 'ready') OR c.open > 0 THEN NULL
                      ELSE task_hold_until(t.run_after, t.workgroup) END
FROM counts c
WHERE t.id = c.id
