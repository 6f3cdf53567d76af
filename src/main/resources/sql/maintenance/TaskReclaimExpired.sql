-- Abandoned tasks: leases that ran out on the database clock are taken back, oldest expiry first, :limit at a
-- time. A reclaim is a failure by timeout, treated like a failed release: one attempt consumed, the error
-- "Task not completed in N seconds." appended (N: how long the lease ran, from acquire to its last expiry), the
-- task held for its error delay (then ready again), or failed when no attempt is left (task_attempt_ends); its attempt is closed as
-- 'abandoned' in the ledger. The expired rows are locked in a CTE with SKIP LOCKED, and locking re-checks the
-- WHERE clause on the newest row version (whose lease it also returns): replicas running this together reclaim
-- each lease exactly once, and a lease that a heartbeat or a release changed in the meantime is left alone.
WITH expired AS (
  SELECT id, attempt, assigned_to, assigned_at FROM task
  WHERE state = 'running' AND lease_expires_at < now()
  ORDER BY lease_expires_at
  LIMIT :limit
  FOR NO KEY UPDATE SKIP LOCKED
), delayed AS (
  -- When the task may run again: after its error delay, as after a failed release.
  SELECT x.id, CASE WHEN x.error_delay_seconds > 0 THEN now() + make_interval(secs => x.error_delay_seconds)
                    ELSE x.run_after END AS run_after
  FROM task x JOIN expired USING (id)
), reclaimed AS (
  UPDATE task t SET
    errors = json_array_append(t.errors, to_json(format('Task not completed in %s seconds.',
               round(extract(epoch FROM (t.lease_expires_at - t.assigned_at)))::bigint))),
    remaining_attempts = t.remaining_attempts - 1,
    run_after = d.run_after,
    (state, available_at) = (SELECT n.state, n.available_at
                             FROM task_attempt_ends(t.remaining_attempts - 1, t.parents_left, d.run_after,
                                                    t.workgroup) n),
    assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL
  FROM delayed d
  WHERE t.id = d.id
  RETURNING t.id, t.state, t.errors -> -1 AS error
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome, error)
  SELECT e.id, e.attempt, e.assigned_to, e.assigned_at, now(), 'abandoned', r.error
  FROM reclaimed r JOIN expired e USING (id)
)
SELECT id, state::text FROM reclaimed
