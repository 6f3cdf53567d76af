-- The due check of every tick: schedules whose next fire time has come on the database clock, oldest first, locked
-- so that no other replica fires them meanwhile (SKIP LOCKED: replicas share the due ones instead of queueing on
-- them). One range read of schedule_due_idx, whose predicate leaves out paused and finished schedules. Returns the
-- database's now() too: what is due is decided on its clock.
SELECT s.id, s.name, s.cron, s.every_seconds, s.time_zone, s.start_at, s.end_at, s.anchor_at, s.overlap::text,
       s.catch_up::text, s.is_paused, s.template::text, s.next_fire_at, s.last_group_id, s.created_at, s.updated_at,
       now()
FROM schedule s
WHERE NOT s.is_paused AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= now()
ORDER BY s.next_fire_at
LIMIT :limit
FOR UPDATE SKIP LOCKED
