-- After the pause of a workgroup or of an ancestor changed: every runnable task of the workgroup is ready or
-- scheduled again according to its own runAfter and the pauses of its workgroup's chain as they now stand
-- (task_waits).
UPDATE task SET
  (state, available_at) = (SELECT n.state, n.available_at FROM task_waits(0, false, run_after, workgroup) n)
WHERE workgroup = :workgroup AND state IN ('ready', 'scheduled')
