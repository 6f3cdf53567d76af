-- Failure: records the error and consumes an attempt, then holds the task until its next attempt may start (its retry
-- policy: task_retry_at), or fails it when no attempt is left (task_attempt_ends). A permanent error (the worker
-- said it is not retryable) consumes every attempt left: the task fails for good at once. A failure under a workgroup delay (a rate limit) costs no attempt, and the workgroup's pause
-- replaces the retry delay, as in Crew: the task is retried when the pause ends. Fenced like TaskComplete, and
-- like it writes the attempt's ledger row; returns the new state.
-- A lease holder implies state = 'running' (CHECK task_consistent); naming the state would let the planner
-- read the partial index of running tasks from end to end instead of probing the primary key.
WITH failed AS (
  UPDATE task t SET
    errors = json_array_append(t.errors, CAST(:error AS json)),
    remaining_attempts = t.remaining_attempts - r.cost,
    run_after = r.run_after,
    (state, available_at) = (SELECT n.state, n.available_at
                             FROM task_attempt_ends(t.remaining_attempts - r.cost, t.parents_left, r.run_after,
                                                    t.workgroup) n),
    assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL
  FROM (SELECT CASE WHEN :workgroupDelayed THEN run_after
                    ELSE task_retry_at(retry_policy, channel, error_delay_seconds, json_array_length(errors) + 1,
                                       run_after) END AS run_after,
               CASE WHEN :permanent THEN remaining_attempts WHEN :workgroupDelayed THEN 0 ELSE 1 END AS cost,
               assigned_at
        FROM task WHERE id = :id) r
  WHERE t.id = :id AND t.assigned_to = :workerId AND t.attempt = :attempt
  RETURNING t.id, t.attempt, t.state, r.assigned_at
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome, error)
  SELECT id, attempt, :workerId, assigned_at, now(), 'failed', CAST(:error AS json) FROM failed
)
SELECT state::text FROM failed
