-- Gives failed tasks :attempts again and puts each back in line (waiting, scheduled or ready).
UPDATE task SET
  remaining_attempts = :attempts,
  state = CASE WHEN parents_left > 0 THEN 'waiting'
               WHEN task_hold_until(run_after, workgroup) IS NULL THEN 'ready'
               ELSE 'scheduled' END::task_state,
  available_at = CASE WHEN parents_left > 0 THEN NULL ELSE task_hold_until(run_after, workgroup) END
WHERE id = ANY(:ids) AND state = 'failed'
RETURNING id
