-- Tasks per channel and state, and the creation time of the oldest acquirable task, in one pass over the table.
INSERT INTO task_count_snapshot (channel, state, tasks, oldest_ready_at, taken_at)
SELECT coalesce(channel, ''), state::text, count(*), min(created_at) FILTER (WHERE state = 'ready' AND NOT is_paused), now()
FROM task
GROUP BY 1, 2
