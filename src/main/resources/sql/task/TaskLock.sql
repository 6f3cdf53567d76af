-- Locks one task and reads what a state change needs to decide.
SELECT id, group_id, state, assigned_to, attempt, key, channel, workgroup, remaining_attempts,
       coalesce(deadline_at <= now(), false) AS overdue
FROM task WHERE id = :id FOR NO KEY UPDATE
