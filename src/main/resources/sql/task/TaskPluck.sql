-- Copies a task into another (paused) group: Crew copies name, channel, workgroup, key, priority, progressWeight,
-- isSeed, errorDelayInSeconds, lease and input; the copy has 5 attempts and no parents.
INSERT INTO task (id, group_id, name, channel, workgroup, key, priority, progress_weight, is_seed,
                  error_delay_seconds, lease_seconds, input, remaining_attempts, is_paused, state, available_at)
SELECT :copyId, g.id, t.name, t.channel, t.workgroup, t.key, t.priority, t.progress_weight, t.is_seed,
       t.error_delay_seconds, t.lease_seconds, t.input, 5, g.is_paused,
       CASE WHEN task_hold_until(NULL, t.workgroup) IS NULL THEN 'ready' ELSE 'scheduled' END::task_state,
       task_hold_until(NULL, t.workgroup)
FROM task t JOIN task_group g ON g.id = :groupId
WHERE t.id = :id
