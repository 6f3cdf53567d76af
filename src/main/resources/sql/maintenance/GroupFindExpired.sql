-- Groups older than the retention, oldest first, that have no task leased right now (never deleted mid-flight).
SELECT g.id FROM task_group g
WHERE g.created_at < now() - make_interval(secs => :seconds)
  AND NOT EXISTS (SELECT 1 FROM task t WHERE t.group_id = g.id AND t.state = 'running')
ORDER BY g.created_at
LIMIT :limit
FOR UPDATE SKIP LOCKED
