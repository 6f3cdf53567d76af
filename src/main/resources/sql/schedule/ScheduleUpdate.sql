-- Replaces a schedule's definition (PUT); its history and the group of its latest run stay.
UPDATE schedule
SET name = :name, cron = :cron, every_seconds = :everySeconds, time_zone = :timeZone, start_at = :startAt,
    end_at = :endAt, anchor_at = :anchorAt, overlap = CAST(:overlap AS schedule_overlap),
    catch_up = CAST(:catchUp AS schedule_catch_up), is_paused = :isPaused, template = CAST(:template AS json),
    next_fire_at = :nextFireAt, updated_at = now()
WHERE id = :id
