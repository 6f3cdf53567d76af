-- Replaces an operator's settings (the service merges a PUT body into the current ones first).
UPDATE operator
SET channel = :channel, url = :url, request_config = CAST(:requestConfig AS json), is_paused = :paused
WHERE id = :id
RETURNING id, channel, url, request_config::text, is_paused, created_at
