-- Cancels the given tasks that are not finished, and every unfinished task below them, in any group, except a task
-- that runs when its parents are done (a cancelled parent has ended for it: TaskRecount settles it afterwards).
-- Cancelled is final until a retry or reset. A running attempt loses its lease at once and ends as 'cancelled' in
-- the ledger: its worker's next heartbeat or release is refused. The tasks are locked in id order, as every
-- statement that locks several tasks does. Returns the ids cancelled.
WITH RECURSIVE below AS (
  SELECT t.id
  FROM text_elements(CAST(:ids AS text[])) AS i(id)
  CROSS JOIN LATERAL (SELECT t.id FROM task t
                      WHERE t.id = i.id AND t.state NOT IN ('complete', 'failed', 'cancelled') OFFSET 0) t
  UNION
  SELECT c.id
  FROM below b
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = b.id OFFSET 0) e
  CROSS JOIN LATERAL (
    SELECT c.id FROM task c
    WHERE c.id = e.child_id AND c.state NOT IN ('complete', 'failed', 'cancelled') AND NOT c.runs_when_parents_done
    OFFSET 0) c
), locked AS (
  SELECT t.id, t.state, t.attempt, t.assigned_to, t.assigned_at
  FROM (SELECT array_agg(b.id ORDER BY b.id) AS ids FROM below b) b
  CROSS JOIN LATERAL text_elements(b.ids) AS i(id)
  CROSS JOIN LATERAL (SELECT t.id, t.state, t.attempt, t.assigned_to, t.assigned_at FROM task t
                      WHERE t.id = i.id AND t.state NOT IN ('complete', 'failed', 'cancelled') FOR NO KEY UPDATE) t
), closed AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)
  SELECT id, attempt, assigned_to, assigned_at, now(), 'cancelled' FROM locked WHERE state = 'running'
)
UPDATE task t SET
  state = 'cancelled', available_at = NULL,
  assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL
FROM locked l
WHERE t.id = l.id
RETURNING t.id
