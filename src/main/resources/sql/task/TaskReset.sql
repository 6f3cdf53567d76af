-- Returns tasks to their initial state: output, errors and lease cleared, :attempts attempts, runAfter cleared.
-- Parents reset in the same call count as open (a parent is open by task_parent_open). A running attempt ends as 'reset' in the ledger (its worker's
-- release will be refused); the ledger keeps every earlier attempt and attempt numbers keep increasing.
WITH locked AS (
  SELECT id, state, attempt, assigned_to, assigned_at, runs_when_parents_done FROM task WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
), counts AS (
  SELECT l.id, count(p.id) FILTER (WHERE task_parent_open(l.runs_when_parents_done, p.state) OR p.id = ANY(:ids))
           AS open
  FROM locked l LEFT JOIN task_edge e ON e.child_id = l.id LEFT JOIN task p ON p.id = e.parent_id
  GROUP BY l.id
), closed AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)
  SELECT id, attempt, assigned_to, assigned_at, now(), 'reset' FROM locked WHERE state = 'running'
)
UPDATE task t SET
  output = NULL, errors = '[]', run_after = NULL, completed_at = NULL, remaining_attempts = :attempts,
  assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL,
  parents_left = c.open,
  (state, available_at) = (SELECT n.state, n.available_at FROM task_waits(c.open, false, NULL, t.workgroup) n)
FROM counts c
WHERE t.id = c.id
