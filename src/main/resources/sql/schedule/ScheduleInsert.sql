INSERT INTO schedule (id, name, cron, every_seconds, time_zone, start_at, end_at, anchor_at, overlap, catch_up,
                      is_paused, template, next_fire_at)
VALUES (:id, :name, :cron, :everySeconds, :timeZone, :startAt, :endAt, :anchorAt,
        CAST(:overlap AS schedule_overlap), CAST(:catchUp AS schedule_catch_up), :isPaused, CAST(:template AS json),
        :nextFireAt)
