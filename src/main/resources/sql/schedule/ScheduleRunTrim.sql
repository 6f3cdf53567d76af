-- Keeps the newest :keep runs of a schedule: an every-second schedule would otherwise record 86,400 a day.
DELETE FROM schedule_run
WHERE schedule_id = :scheduleId
  AND id IN (SELECT id FROM schedule_run WHERE schedule_id = :scheduleId
             ORDER BY fire_time DESC, id DESC OFFSET :keep LIMIT 100)
