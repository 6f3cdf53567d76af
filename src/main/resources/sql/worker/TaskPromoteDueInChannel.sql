-- Makes a channel's held tasks whose time has come ready, right before an acquire that found too little.
-- Channel and limit in sub-selects keep the plan generic and cached, as in TaskAcquire.sql.
WITH due AS (
  SELECT id FROM task
  WHERE channel = (SELECT CAST(:channel AS text)) AND state = 'scheduled' AND available_at <= now()
  ORDER BY available_at
  LIMIT (SELECT CAST(:limit AS integer))
  FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE task t SET
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, false, t.run_after, t.workgroup) n)
FROM due WHERE t.id = due.id
