-- A channel's tasks across all groups, newest first.
SELECT coalesce(json_agg(task_json(t) ORDER BY t.created_at DESC, t.seq DESC), '[]'::json)
FROM (SELECT * FROM task WHERE channel = :channel ORDER BY created_at DESC, seq DESC LIMIT :limit OFFSET :skip) t
