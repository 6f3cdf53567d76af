-- Locks tasks in id order (a deterministic lock order) before a statement that recomputes them from other rows.
-- A separate statement on purpose: under READ COMMITTED a statement reads the snapshot taken when it started, so
-- counting in the same statement that waits for the lock would miss what the previous holder just committed
-- (two deletions of a task's two parents would each still see the other parent).
SELECT id FROM task WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE
