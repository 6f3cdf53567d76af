-- The last snapshot (TaskCountsTake), with the backlog age and its own age as of now.
SELECT channel, state, tasks,
       coalesce(extract(epoch FROM now() - oldest_ready_at), 0) AS oldest_ready_seconds,
       extract(epoch FROM now() - taken_at) AS age_seconds
FROM task_count_snapshot
