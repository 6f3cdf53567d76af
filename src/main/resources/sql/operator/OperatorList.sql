-- Operators, newest first (Crew's order); a null limit means all.
SELECT id, channel, url, request_config::text, is_paused, created_at
FROM operator
ORDER BY created_at DESC, id DESC
LIMIT CAST(:limit AS integer) OFFSET :skip
