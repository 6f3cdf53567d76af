-- Deletes a group; its tasks, their edges and attempts cascade.
DELETE FROM task_group WHERE id = :id
