-- The operator about to be changed, locked so that concurrent PUTs merge one after the other.
SELECT id, channel, url, request_config::text, is_paused, created_at
FROM operator
WHERE id = :id
FOR UPDATE
