-- Serializes the last releases of a group, so that exactly one of them sees the group complete.
SELECT id FROM task_group WHERE id = :id FOR NO KEY UPDATE
