-- Pauses a workgroup until now + :seconds, keeping a longer pause already in place; the workgroup's runnable tasks
-- are then held by WorkgroupRehold. Tasks that become runnable later consult the workgroup row (task_waits), so
-- they are held as well. No attempt is consumed.
INSERT INTO workgroup AS w (name, paused_until, reason, updated_at)
VALUES (:workgroup, now() + make_interval(secs => :seconds), :reason, now())
ON CONFLICT (name) DO UPDATE
  SET paused_until = greatest(w.paused_until, excluded.paused_until),
      reason = coalesce(excluded.reason, w.reason),
      updated_at = now()
