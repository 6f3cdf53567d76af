-- A page of schedules, newest first, each with its latest run.
SELECT s.id, s.name, s.cron, s.every_seconds, s.time_zone, s.start_at, s.end_at, s.anchor_at, s.overlap::text,
       s.catch_up::text, s.is_paused, s.template::text, s.next_fire_at, s.last_group_id, s.created_at, s.updated_at,
       r.fire_time, r.task_group_id, r.skipped, r.is_manual
FROM (SELECT * FROM schedule ORDER BY created_at DESC, id DESC LIMIT CAST(:limit AS integer) OFFSET :skip) s
LEFT JOIN LATERAL (SELECT * FROM schedule_run r WHERE r.schedule_id = s.id
                   ORDER BY r.fire_time DESC, r.id DESC LIMIT 1) r ON true
ORDER BY s.created_at DESC, s.id DESC
