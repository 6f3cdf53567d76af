-- Blocks each given waiting task that has a failed or blocked parent, and every waiting task below it.
WITH RECURSIVE doomed AS (
  SELECT t.id FROM task t
  WHERE t.id = ANY(:ids) AND t.state = 'waiting'
    AND EXISTS (SELECT 1 FROM task_edge e JOIN task p ON p.id = e.parent_id
                WHERE e.child_id = t.id AND p.state IN ('failed', 'blocked'))
  UNION
  SELECT c.id FROM doomed d
  JOIN task_edge e ON e.parent_id = d.id
  JOIN task c ON c.id = e.child_id AND c.state IN ('waiting', 'blocked')
)
UPDATE task t SET state = 'blocked' FROM doomed d WHERE t.id = d.id AND t.state = 'waiting'
