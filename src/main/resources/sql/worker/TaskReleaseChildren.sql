-- Fan-in: the children of tasks that just completed lose one open parent per completed parent, in the same
-- transaction as the completion. A child whose last parent completed becomes ready (or scheduled) at once.
-- Children are locked in id order so that parents completing at the same instant cannot deadlock.
WITH edges AS (
  SELECT e.child_id, count(*)::int AS n FROM task_edge e WHERE e.parent_id = ANY(:parentIds) GROUP BY e.child_id
), locked AS (
  SELECT t.id, edges.n FROM task t JOIN edges ON edges.child_id = t.id ORDER BY t.id FOR NO KEY UPDATE OF t
)
UPDATE task t SET
  parents_left = t.parents_left - l.n,
  state = CASE WHEN t.state IN ('waiting', 'blocked') AND t.parents_left = l.n
               THEN CASE WHEN task_hold_until(t.run_after, t.workgroup) IS NULL THEN 'ready' ELSE 'scheduled' END
               ELSE t.state::text END::task_state,
  available_at = CASE WHEN t.state IN ('waiting', 'blocked') AND t.parents_left = l.n
                      THEN task_hold_until(t.run_after, t.workgroup)
                      ELSE t.available_at END
FROM locked l
WHERE t.id = l.id
