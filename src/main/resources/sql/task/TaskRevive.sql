-- Gives failed and cancelled tasks :attempts again and puts each back in line (waiting, scheduled or ready), with
-- the tasks cancelled below a cancelled one (a cancel took them along; a retry brings them back).
WITH RECURSIVE revived AS (
  SELECT t.id, t.state FROM task t WHERE t.id = ANY(:ids) AND t.state IN ('failed', 'cancelled')
  UNION
  SELECT c.id, c.state
  FROM revived r
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = r.id OFFSET 0) e
  CROSS JOIN LATERAL (SELECT c.id, c.state FROM task c WHERE c.id = e.child_id AND c.state = 'cancelled' OFFSET 0) c
  WHERE r.state = 'cancelled'
)
UPDATE task t SET
  remaining_attempts = :attempts,
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, false, t.run_after, t.workgroup) n)
FROM revived r
WHERE t.id = r.id AND t.state IN ('failed', 'cancelled')
RETURNING t.id
