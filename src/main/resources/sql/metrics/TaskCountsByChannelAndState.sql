-- The last snapshot (TaskCountsTake), with the backlog age as of now.
SELECT channel, state, tasks,
       coalesce(extract(epoch FROM now() - oldest_ready_at), 0) AS oldest_ready_seconds
FROM task_count_snapshot
