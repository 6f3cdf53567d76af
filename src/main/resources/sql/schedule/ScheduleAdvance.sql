-- After a tick fired a schedule: its next fire time, and the group of its latest run (unchanged when none).
UPDATE schedule SET next_fire_at = :nextFireAt, last_group_id = coalesce(:lastGroupId, last_group_id)
WHERE id = :id
