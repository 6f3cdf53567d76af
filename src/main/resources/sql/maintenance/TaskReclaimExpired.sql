-- Abandoned and timed-out attempts: leases that ran out on the database clock (the worker died, hung or lost the
-- network), and attempts that ran past their deadline (timeoutSeconds, heartbeats or not), oldest first, up to
-- :limit of each at a time. Either is a failed attempt: one attempt consumed, an error appended ("Task not completed
-- in N seconds.", N: how long the lease ran, from acquire to its last expiry; or "Task timed out after N
-- seconds."), the task held until its next attempt may start (task_retry_at, as after a failed release), or failed
-- when no attempt is left (task_attempt_ends); its attempt is closed as 'abandoned' or 'timed_out' in the ledger.
-- Each kind is read from its own partial index; the rows are locked by primary key with SKIP LOCKED, and locking
-- re-checks the condition on the newest row version (whose lease it also returns): replicas running this together
-- end each attempt exactly once, and a lease that a heartbeat or a release changed in the meantime is left alone.
-- A lease implies state = 'running' (CHECK task_consistent): the probes name no state, so that no plan reads a
-- partial index of running tasks instead of the primary key. The update finds each task by key from an array
-- (text_elements, an estimate of one row), as TaskReleaseChildren does.
WITH due AS (
  (SELECT id FROM task WHERE state = 'running' AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT :limit)
  UNION
  (SELECT id FROM task WHERE state = 'running' AND deadline_at < now() ORDER BY deadline_at LIMIT :limit)
), expired AS (
  SELECT x.id, x.attempt, x.assigned_to, x.assigned_at, x.timed_out
  FROM due
  CROSS JOIN LATERAL (
    SELECT t.id, t.attempt, t.assigned_to, t.assigned_at, coalesce(t.deadline_at < now(), false) AS timed_out
    FROM task t
    WHERE t.id = due.id AND (t.lease_expires_at < now() OR t.deadline_at < now())
    FOR NO KEY UPDATE SKIP LOCKED) x
), reclaimed AS (
  UPDATE task t SET
    errors = json_array_append(t.errors, to_json(d.error)),
    remaining_attempts = t.remaining_attempts - 1,
    run_after = d.run_after,
    (state, available_at) = (SELECT n.state, n.available_at
                             FROM task_attempt_ends(t.remaining_attempts - 1, t.parents_left, d.run_after,
                                                    t.workgroup) n),
    assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL
  FROM (SELECT array_agg(e.id) AS ids FROM expired e) a
  CROSS JOIN LATERAL text_elements(a.ids) AS i(id)
  CROSS JOIN LATERAL (
    -- When the task may run again (after its retry delay, as after a failed release), and why its attempt ended.
    SELECT task_retry_at(x.retry_policy, x.channel, x.error_delay_seconds, json_array_length(x.errors) + 1,
                         x.run_after) AS run_after,
           CASE WHEN x.deadline_at < now()
                THEN format('Task timed out after %s seconds.',
                            round(extract(epoch FROM (x.deadline_at - x.assigned_at)))::bigint)
                ELSE format('Task not completed in %s seconds.',
                            round(extract(epoch FROM (x.lease_expires_at - x.assigned_at)))::bigint) END AS error
    FROM task x WHERE x.id = i.id OFFSET 0) d
  WHERE t.id = i.id
  RETURNING t.id, t.state, t.errors -> -1 AS error
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome, error)
  SELECT e.id, e.attempt, e.assigned_to, e.assigned_at, now(),
         CASE WHEN e.timed_out THEN 'timed_out' ELSE 'abandoned' END::attempt_outcome, r.error
  FROM reclaimed r JOIN expired e USING (id)
)
SELECT id, state::text FROM reclaimed
