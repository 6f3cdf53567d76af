-- Copies a task into a new paused group of its own, named after it: Crew copies name, channel, workgroup, key,
-- priority, progressWeight, isSeed, errorDelayInSeconds, lease and input; the copy has 5 attempts and no parents.
-- Nothing is inserted when the task does not exist.
WITH plucked_group AS (
    INSERT INTO task_group (id, name, is_paused)
    SELECT :groupId, 'Pluck Task ' || t.id, true
    FROM task t
    WHERE t.id = :id
    RETURNING id, is_paused
)
INSERT INTO task (id, group_id, name, channel, workgroup, key, priority, progress_weight, is_seed,
                  error_delay_seconds, lease_seconds, input, remaining_attempts, is_paused, rate_units, throttled,
                  state, available_at)
SELECT :copyId, g.id, t.name, t.channel, t.workgroup, t.key, t.priority, t.progress_weight, t.is_seed,
       t.error_delay_seconds, t.lease_seconds, t.input, 5, g.is_paused, t.rate_units, t.throttled,
       w.state, w.available_at
FROM task t CROSS JOIN plucked_group g CROSS JOIN LATERAL task_waits(0, false, NULL, t.workgroup) w
WHERE t.id = :id
