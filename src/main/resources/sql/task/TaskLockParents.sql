-- Locks the existing parents of tasks about to be created, so that a parent completing concurrently waits
-- for the new edges to commit and then counts them. Sorted by id: a deterministic lock order.
SELECT id, state FROM task WHERE id = ANY(:ids) ORDER BY id FOR SHARE
