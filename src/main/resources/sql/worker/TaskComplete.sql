-- Success: completes the task if it is still leased to this worker for this attempt (fencing), and writes the
-- attempt's ledger row. The caller holds the task's row lock, so the lease read here is the one completed.
-- Returns the number of tasks completed (0 or 1).
-- A lease holder implies state = 'running' (CHECK task_consistent); naming the state would let the planner
-- read the partial index of running tasks from end to end instead of probing the primary key.
WITH done AS (
  UPDATE task t SET
    state = 'complete', output = CAST(:output AS json), completed_at = now(), remaining_attempts = 0,
    run_after = NULL, assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL
  FROM (SELECT assigned_at FROM task WHERE id = :id) lease
  WHERE t.id = :id AND t.assigned_to = :workerId AND t.attempt = :attempt
  RETURNING t.id, t.attempt, lease.assigned_at
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)
  SELECT id, attempt, :workerId, assigned_at, now(), 'completed' FROM done
)
SELECT count(*) FROM done
