-- A schedule's history, newest first.
SELECT fire_time, task_group_id, skipped, is_manual
FROM schedule_run
WHERE schedule_id = :scheduleId
ORDER BY fire_time DESC, id DESC
LIMIT :limit OFFSET :skip
