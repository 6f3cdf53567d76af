-- Deletes tasks (their edges and attempts cascade) and reports each deleted task's group.
DELETE FROM task WHERE id = ANY(:ids) RETURNING id, group_id
