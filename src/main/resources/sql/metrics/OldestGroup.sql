-- Age of the oldest task group (one probe of task_group_created_idx): every task and finished attempt goes with its
-- group, so nothing the cleaner keeps is older. Against the retention it tells whether the cleaner keeps up.
SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age_seconds FROM task_group
