-- After a workgroup's pause changed: every runnable task of it is ready or scheduled again according to its own
-- runAfter and the workgroup's pause as it now stands (task_waits).
UPDATE task SET
  (state, available_at) = (SELECT n.state, n.available_at FROM task_waits(0, false, run_after, workgroup) n)
WHERE workgroup = :workgroup AND state IN ('ready', 'scheduled')
