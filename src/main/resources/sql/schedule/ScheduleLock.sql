-- One schedule, locked for a change or a run now (waits for a tick that is firing it), with the database's now().
SELECT s.id, s.name, s.cron, s.every_seconds, s.time_zone, s.start_at, s.end_at, s.anchor_at, s.overlap::text,
       s.catch_up::text, s.is_paused, s.template::text, s.next_fire_at, s.last_group_id, s.created_at, s.updated_at,
       now()
FROM schedule s
WHERE s.id = :id
FOR UPDATE
