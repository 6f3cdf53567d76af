-- Whether a channel has ready tasks on the throttled path (one probe of task_throttled_ready_idx).
SELECT EXISTS (SELECT 1 FROM task
               WHERE channel = :channel AND state = 'ready' AND NOT is_paused AND throttled)
