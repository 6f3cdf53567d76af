-- Locks the existing parents of tasks about to be created, so that a parent completing concurrently waits
-- for the new edges to commit and then counts them. Sorted by id: a deterministic lock order, one primary-key
-- probe per id (an `id = ANY(...)` scan would read a small table whole, whose size a cached plan outlives).
SELECT t.id, t.state
FROM (SELECT DISTINCT p.id FROM text_elements(CAST(:ids AS text[])) AS p(id) ORDER BY p.id) p
CROSS JOIN LATERAL (SELECT t.id, t.state FROM task t WHERE t.id = p.id FOR SHARE) t
