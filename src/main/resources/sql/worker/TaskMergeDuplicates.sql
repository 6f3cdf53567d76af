-- Duplicate merge: every other incomplete task with the same (channel, key), in any group, completes with the
-- output of the execution that just succeeded. Locked in id order; each gets a 'merged' ledger row. Returns each
-- merged task and whether it had ended before (failed, blocked or cancelled: see TaskReleaseChildren).
WITH twins AS (
  SELECT id, state IN ('failed', 'blocked', 'cancelled') AS ended FROM task
  WHERE channel = :channel AND key = :key AND state <> 'complete' AND id <> :id
  ORDER BY id
  FOR NO KEY UPDATE
), merged AS (
  UPDATE task t SET
    state = 'complete', output = CAST(:output AS json), completed_at = now(), remaining_attempts = 0,
    run_after = NULL, available_at = NULL, attempt = t.attempt + 1
  FROM twins WHERE t.id = twins.id
  RETURNING t.id, t.attempt
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)
  SELECT id, attempt, :workerId, now(), now(), 'merged' FROM merged
)
SELECT m.id, tw.ended FROM merged m JOIN twins tw USING (id)
