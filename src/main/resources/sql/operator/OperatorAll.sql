-- What the dispatcher serves, oldest operator first; paused ones too: their channel gets no virtual operator.
SELECT id, channel, url, request_config::text, coalesce(is_paused, false)
FROM operator
ORDER BY created_at, id
