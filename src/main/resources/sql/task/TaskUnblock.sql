-- Returns the blocked tasks below the given ones to waiting (their ancestor was revived) and lists them,
-- so that TaskBlock can re-block those that still have another failed ancestor.
WITH RECURSIVE freed AS (
  SELECT c.id FROM task_edge e JOIN task c ON c.id = e.child_id
  WHERE e.parent_id = ANY(:ids) AND c.state = 'blocked'
  UNION
  SELECT c.id FROM freed f
  JOIN task_edge e ON e.parent_id = f.id
  JOIN task c ON c.id = e.child_id AND c.state = 'blocked'
)
UPDATE task t SET state = 'waiting' FROM freed f WHERE t.id = f.id RETURNING t.id
