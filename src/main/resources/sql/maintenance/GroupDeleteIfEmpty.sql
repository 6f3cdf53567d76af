-- Deletes an expired group once its tasks are gone; a group that still has a task (one leased while the cleaner
-- ran) is kept for a later run.
DELETE FROM task_group g WHERE g.id = :id AND NOT EXISTS (SELECT 1 FROM task t WHERE t.group_id = g.id)
