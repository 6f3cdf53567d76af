-- A group's tasks, newest first (Crew's order); a null limit means all.
SELECT coalesce(json_agg(task_json(t) ORDER BY t.seq DESC), '[]'::json)
FROM (SELECT * FROM task WHERE group_id = :groupId ORDER BY seq DESC LIMIT :limit OFFSET :skip) t
