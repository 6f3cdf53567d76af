-- Makes a channel's held tasks whose time has come ready, right before an acquire that found too little.
WITH due AS (
  SELECT id FROM task
  WHERE channel = :channel AND state = 'scheduled' AND available_at <= now()
  ORDER BY available_at
  LIMIT (SELECT :limit) -- a generic plan, as in TaskAcquire.sql
  FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE task t SET state = 'ready', available_at = NULL FROM due WHERE t.id = due.id
