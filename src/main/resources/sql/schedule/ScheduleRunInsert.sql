-- Records a fire time as done: with the group it created, or why it created none. A scheduled fire time that is
-- already recorded fails on schedule_run_fire_time_key, and the transaction that would have fired it twice with it.
INSERT INTO schedule_run (schedule_id, fire_time, is_manual, task_group_id, skipped)
VALUES (:scheduleId, :fireTime, :isManual, :taskGroupId, :skipped)
