-- Returns the blocked tasks below the given ones to waiting (their ancestor was revived) and lists them,
-- so that TaskBlock can re-block those that still have another failed ancestor.
-- Edges and tasks are reached by index probes from LATERAL sub-selects that OFFSET 0 keeps whole, and the update
-- finds each task by key from their array: no plan reads a table whole (see TaskReleaseChildren).
WITH RECURSIVE freed AS (
  SELECT c.id
  FROM text_elements(CAST(:ids AS text[])) AS p(id)
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = p.id OFFSET 0) e
  CROSS JOIN LATERAL (SELECT c.id FROM task c WHERE c.id = e.child_id AND c.state = 'blocked' OFFSET 0) c
  UNION
  SELECT c.id
  FROM freed f
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = f.id OFFSET 0) e
  CROSS JOIN LATERAL (SELECT c.id FROM task c WHERE c.id = e.child_id AND c.state = 'blocked' OFFSET 0) c
)
UPDATE task t SET
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, false, t.run_after, t.workgroup) n)
FROM (SELECT array_agg(f.id) AS ids FROM freed f) f CROSS JOIN LATERAL text_elements(f.ids) AS c(id)
WHERE t.id = c.id
RETURNING t.id
