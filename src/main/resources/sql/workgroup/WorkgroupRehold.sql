-- After a workgroup's pause changed: every runnable task of it and of the workgroups below it is ready or scheduled
-- again according to its own runAfter and the pauses of its workgroup's chain as they now stand (task_waits).
WITH RECURSIVE below(name) AS (
  SELECT CAST(:workgroup AS text)
  UNION
  SELECT w.name FROM workgroup w JOIN below b ON w.parent = b.name
)
UPDATE task SET
  (state, available_at) = (SELECT n.state, n.available_at FROM task_waits(0, false, run_after, workgroup) n)
WHERE workgroup IN (SELECT name FROM below) AND state IN ('ready', 'scheduled')
