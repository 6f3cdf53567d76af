-- Abandoned tasks: leases that ran out are taken back. One attempt is consumed and "Task not completed in N
-- seconds." recorded; the task is ready again at once (or failed when no attempt is left) and its attempt is
-- closed as 'abandoned'. SKIP LOCKED: replicas running this together reclaim each lease exactly once.
WITH expired AS (
  SELECT id FROM task
  WHERE state = 'running' AND lease_expires_at < now()
  ORDER BY lease_expires_at
  LIMIT :limit
  FOR NO KEY UPDATE SKIP LOCKED
), reclaimed AS (
  UPDATE task t SET
    errors = t.errors || jsonb_build_array(m.message),
    remaining_attempts = t.remaining_attempts - 1,
    state = CASE WHEN t.remaining_attempts <= 1 THEN 'failed'
                 WHEN t.parents_left > 0 THEN 'waiting'
                 WHEN task_hold_until(t.run_after, t.workgroup) IS NULL THEN 'ready'
                 ELSE 'scheduled' END::task_state,
    available_at = CASE WHEN t.remaining_attempts <= 1 OR t.parents_left > 0 THEN NULL
                        ELSE task_hold_until(t.run_after, t.workgroup) END,
    assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL
  FROM expired
  CROSS JOIN LATERAL (
    SELECT format('Task not completed in %s seconds.',
                  round(extract(epoch FROM (x.lease_expires_at - x.assigned_at)))::bigint) AS message
    FROM task x WHERE x.id = expired.id) m
  WHERE t.id = expired.id
  RETURNING t.id, t.attempt, t.state, m.message
), ledger AS (
  UPDATE task_attempt a SET finished_at = now(), outcome = 'abandoned', error = to_jsonb(r.message)
  FROM reclaimed r WHERE a.task_id = r.id AND a.attempt = r.attempt
)
SELECT id, state::text FROM reclaimed
