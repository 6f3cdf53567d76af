-- Deletes tasks; their edges and attempts cascade.
DELETE FROM task WHERE id = ANY(:ids)
