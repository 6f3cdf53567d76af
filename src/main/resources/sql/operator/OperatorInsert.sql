INSERT INTO operator (id, channel, url, request_config, is_paused)
VALUES (:id, :channel, :url, CAST(:requestConfig AS json), :paused)
RETURNING id, channel, url, request_config::text, is_paused, created_at
