-- Records when a group finished: every task complete.
UPDATE task_group g SET completed_at = now()
WHERE g.id = :id AND g.completed_at IS NULL
  AND EXISTS (SELECT 1 FROM task t WHERE t.group_id = g.id)
  AND NOT EXISTS (SELECT 1 FROM task t WHERE t.group_id = g.id AND t.state <> 'complete')
