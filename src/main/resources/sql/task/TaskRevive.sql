-- Gives failed tasks :attempts again and puts each back in line (waiting, scheduled or ready).
UPDATE task SET
  remaining_attempts = :attempts,
  (state, available_at) = (SELECT n.state, n.available_at FROM task_waits(parents_left, false, run_after, workgroup) n)
WHERE id = ANY(:ids) AND state = 'failed'
RETURNING id
