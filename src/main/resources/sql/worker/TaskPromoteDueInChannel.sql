-- Makes a channel's held tasks whose time has come ready, right before an acquire that found too little.
WITH due AS (
  SELECT id FROM task
  WHERE channel = :channel AND state = 'scheduled' AND available_at <= now()
  ORDER BY available_at
  LIMIT :limit
  FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE task t SET state = 'ready', available_at = NULL FROM due WHERE t.id = due.id
