-- Deletes up to :limit tasks of an expired group in one short transaction (edges and attempts cascade). A task
-- leased right now is never deleted: the row lock re-checks the state on the newest version, and rows that an
-- acquire or a release holds are skipped. Returns how many tasks went, and the tasks of other groups that had a
-- parent among them: the caller recounts those in the same transaction, so a crash between chunks loses nothing.
WITH chunk AS (
  SELECT id FROM task
  WHERE group_id = :groupId AND state <> 'running'
  ORDER BY id
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
), outside AS (
  SELECT DISTINCT e.child_id
  FROM chunk JOIN task_edge e ON e.parent_id = chunk.id JOIN task c ON c.id = e.child_id
  WHERE c.group_id <> :groupId
), gone AS (
  DELETE FROM task t USING chunk WHERE t.id = chunk.id RETURNING t.id
)
SELECT (SELECT count(*) FROM gone), ARRAY(SELECT child_id FROM outside ORDER BY child_id)
