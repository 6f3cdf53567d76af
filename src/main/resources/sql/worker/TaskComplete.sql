-- Success: completes the task if it is still leased to this worker for this attempt (fencing), and closes
-- the attempt in the ledger. Returns the number of tasks completed (0 or 1).
WITH done AS (
  UPDATE task SET
    state = 'complete', output = CAST(:output AS jsonb), completed_at = now(), remaining_attempts = 0,
    run_after = NULL, assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL
  WHERE id = :id AND state = 'running' AND assigned_to = :workerId AND attempt = :attempt
  RETURNING id, attempt
), ledger AS (
  UPDATE task_attempt a SET finished_at = now(), outcome = 'completed'
  FROM done WHERE a.task_id = done.id AND a.attempt = done.attempt
)
SELECT count(*) FROM done
