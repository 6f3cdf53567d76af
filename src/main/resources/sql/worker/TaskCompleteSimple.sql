-- The common release in one round trip: a task without a duplicate key, released by its lease holder with an
-- output and nothing else. Completes it, closes its attempt, frees its children (locked in id order, as
-- TaskReleaseChildren does) and returns its document plus whether the group still has idle work. No row when
-- the task is not such a task leased to this worker: the caller then takes the general path.
WITH done AS (
  UPDATE task t SET
    state = 'complete', output = CAST(:output AS jsonb), completed_at = now(), remaining_attempts = 0,
    run_after = NULL, assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL
  WHERE t.id = :id AND t.state = 'running' AND t.assigned_to = :workerId AND t.key IS NULL
    AND (CAST(:attempt AS integer) IS NULL OR t.attempt = :attempt)
  RETURNING t AS row, t.id, t.attempt, t.group_id
), ledger AS (
  UPDATE task_attempt a SET finished_at = now(), outcome = 'completed'
  FROM done WHERE a.task_id = done.id AND a.attempt = done.attempt
), locked AS (
  SELECT c.id FROM task c JOIN task_edge e ON e.child_id = c.id JOIN done ON e.parent_id = done.id
  ORDER BY c.id
  FOR NO KEY UPDATE OF c
), freed AS (
  UPDATE task c SET
    parents_left = c.parents_left - 1,
    state = CASE WHEN c.state IN ('waiting', 'blocked') AND c.parents_left = 1
                 THEN CASE WHEN task_hold_until(c.run_after, c.workgroup) IS NULL THEN 'ready' ELSE 'scheduled' END
                 ELSE c.state::text END::task_state,
    available_at = CASE WHEN c.state IN ('waiting', 'blocked') AND c.parents_left = 1
                        THEN task_hold_until(c.run_after, c.workgroup)
                        ELSE c.available_at END
  FROM locked WHERE c.id = locked.id
)
SELECT task_json(d.row), d.group_id,
       EXISTS (SELECT 1 FROM task x WHERE x.group_id = d.group_id AND x.state NOT IN ('complete', 'running'))
FROM done d
