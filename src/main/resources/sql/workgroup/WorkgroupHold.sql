-- Pauses a workgroup until now + :seconds (a longer pause already in place is kept) and holds back every
-- runnable task of it, in every channel and group. Tasks that become runnable later consult the workgroup row
-- (task_hold_until), so they are held as well. No attempt is consumed.
WITH wg AS (
  INSERT INTO workgroup AS w (name, paused_until, reason, updated_at)
  VALUES (:workgroup, now() + make_interval(secs => :seconds), :reason, now())
  ON CONFLICT (name) DO UPDATE
    SET paused_until = greatest(w.paused_until, excluded.paused_until),
        reason = coalesce(excluded.reason, w.reason),
        updated_at = now()
  RETURNING w.paused_until
)
UPDATE task t SET state = 'scheduled', available_at = greatest(t.available_at, wg.paused_until)
FROM wg
WHERE t.workgroup = :workgroup AND t.state IN ('ready', 'scheduled') AND wg.paused_until > now()
