-- Locks an expired group against new tasks (inserting a task takes a key-share lock on its group row) before the
-- cleaner checks, with a fresh snapshot, that it has none left. Skips a group another cleaner holds.
SELECT id FROM task_group WHERE id = :id FOR UPDATE SKIP LOCKED
