-- Makes held tasks whose time has come ready, oldest first, in batches; safe with several replicas.
WITH due AS (
  SELECT id FROM task
  WHERE state = 'scheduled' AND available_at <= now()
  ORDER BY available_at
  LIMIT :limit
  FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE task t SET state = 'ready', available_at = NULL FROM due WHERE t.id = due.id
