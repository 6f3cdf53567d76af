-- After a workgroup's pause changed: every runnable task of it is ready or scheduled again according to its own
-- runAfter and the workgroup's new pause.
UPDATE task SET
  state = CASE WHEN task_hold_until(run_after, workgroup) IS NULL THEN 'ready' ELSE 'scheduled' END::task_state,
  available_at = task_hold_until(run_after, workgroup)
WHERE workgroup = :workgroup AND state IN ('ready', 'scheduled')
