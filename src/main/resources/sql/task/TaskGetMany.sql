-- Several tasks in Crew's wire shape, in creation order; one primary-key probe per id (see TaskLockParents).
SELECT coalesce(json_agg(task_json(t.task) ORDER BY t.seq), '[]'::json)
FROM (SELECT DISTINCT i.id FROM text_elements(CAST(:ids AS text[])) AS i(id)) i
CROSS JOIN LATERAL (SELECT t AS task, t.seq FROM task t WHERE t.id = i.id OFFSET 0) t
