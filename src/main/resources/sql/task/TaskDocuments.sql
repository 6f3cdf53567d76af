-- Tasks in Crew's wire shape, one row per id found, for the event streams; one primary-key probe per id (see
-- TaskLockParents).
SELECT t.id, d.document
FROM text_elements(CAST(:ids AS text[])) AS i(id)
CROSS JOIN LATERAL (SELECT t AS task, t.id FROM task t WHERE t.id = i.id OFFSET 0) t
CROSS JOIN LATERAL task_text(t.task) d
