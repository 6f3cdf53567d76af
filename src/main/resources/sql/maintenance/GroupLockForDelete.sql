-- Locks an expired group against new tasks (inserting a task takes a key-share lock on its group row) before the
-- cleaner checks, with a fresh snapshot, that it has none left. Waits for another cleaner that holds it: that one
-- may have checked before this one's last chunk committed, and skipping would leave the group to a later run.
SELECT id FROM task_group WHERE id = :id FOR UPDATE
