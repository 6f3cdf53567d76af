-- Failure: records the error and, when :cost is 1, consumes an attempt (a workgroup delay costs none). The task
-- is held for its error delay, or fails when no attempt is left. Fenced like TaskComplete; returns the new state.
WITH failed AS (
  UPDATE task t SET
    errors = t.errors || jsonb_build_array(CAST(:error AS jsonb)),
    remaining_attempts = t.remaining_attempts - :cost,
    run_after = r.run_after,
    state = CASE WHEN t.remaining_attempts - :cost <= 0 THEN 'failed'
                 WHEN t.parents_left > 0 THEN 'waiting'
                 WHEN task_hold_until(r.run_after, t.workgroup) IS NULL THEN 'ready'
                 ELSE 'scheduled' END::task_state,
    available_at = CASE WHEN t.remaining_attempts - :cost <= 0 OR t.parents_left > 0 THEN NULL
                        ELSE task_hold_until(r.run_after, t.workgroup) END,
    assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL
  FROM (SELECT CASE WHEN error_delay_seconds > 0 THEN now() + make_interval(secs => error_delay_seconds)
                    ELSE run_after END AS run_after
        FROM task WHERE id = :id) r
  WHERE t.id = :id AND t.state = 'running' AND t.assigned_to = :workerId AND t.attempt = :attempt
  RETURNING t.id, t.attempt, t.state
), ledger AS (
  UPDATE task_attempt a SET finished_at = now(), outcome = 'failed', error = CAST(:error AS jsonb)
  FROM failed WHERE a.task_id = failed.id AND a.attempt = failed.attempt
)
SELECT state::text FROM failed
