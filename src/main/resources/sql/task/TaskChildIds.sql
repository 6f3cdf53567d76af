-- The direct children of the given tasks.
SELECT DISTINCT child_id FROM task_edge WHERE parent_id = ANY(:ids)
