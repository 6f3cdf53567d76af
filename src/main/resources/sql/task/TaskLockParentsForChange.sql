-- Locks the current and new parents of a task whose parents change (PUT parentIds), in id order as
-- TaskLockParents does, and writes a new version of each row without changing a value. The common release
-- (worker/TaskCompleteSimpleMany) is one statement, which reads the edges as they were when it started: one that
-- started before this change commits and waited for the lock here would miss an edge added, or count one removed.
-- It only completes a task whose row is still the version it read, so the new version sends that release to the
-- general path, which takes its lock first and reads the edges afterwards. Returns the state of each parent found.
WITH locked AS (
  SELECT t.id
  FROM (SELECT DISTINCT p.id FROM text_elements(CAST(:ids AS text[])) AS p(id) ORDER BY p.id) p
  CROSS JOIN LATERAL (SELECT t.id FROM task t WHERE t.id = p.id FOR NO KEY UPDATE) t
)
UPDATE task t SET parents_left = t.parents_left
FROM locked l
WHERE t.id = l.id
RETURNING t.id, t.state
