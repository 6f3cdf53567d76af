SELECT id, channel, url, request_config::text, is_paused, created_at
FROM operator
WHERE id = :id
