-- Makes held tasks whose time has come ready, oldest first, in batches; safe with several replicas.
WITH due AS (
  SELECT id FROM task
  WHERE state = 'scheduled' AND available_at <= now()
  ORDER BY available_at
  LIMIT :limit
  FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE task t SET
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, false, t.run_after, t.workgroup) n)
FROM due WHERE t.id = due.id
