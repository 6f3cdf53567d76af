-- Several tasks in Crew's wire shape, one row each, in creation order; one primary-key probe per id (see
-- TaskLockParents). One row per task rather than one array: string_agg over a thousand documents cost a quarter
-- of the statement (EXPLAIN ANALYZE of a bulk creation's 1,000 tasks); the service writes the array as it sends it.
SELECT d.document
FROM (SELECT DISTINCT i.id FROM text_elements(CAST(:ids AS text[])) AS i(id)) i
CROSS JOIN LATERAL (SELECT t AS task, t.seq FROM task t WHERE t.id = i.id OFFSET 0) t
CROSS JOIN LATERAL task_text(t.task) d
ORDER BY t.seq
