-- A task's parents in their order, as its document lists them.
SELECT parent_id FROM task_edge WHERE child_id = :id ORDER BY ord
