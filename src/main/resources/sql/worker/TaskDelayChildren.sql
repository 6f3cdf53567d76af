-- childrenDelayInSeconds: the existing children of a completing task run no sooner than now + delay.
-- Each child is locked (in id order, as everywhere) by a primary-key probe from the parent's edges, and updated by
-- key from the array of the locked ones, as in TaskReleaseChildren: no plan reads the task table whole.
WITH delayed AS (
  SELECT array_agg(c.id ORDER BY c.id) AS ids
  FROM (SELECT e.child_id FROM task_edge e WHERE e.parent_id = :id ORDER BY e.child_id) e
  CROSS JOIN LATERAL (
    SELECT c.id FROM task c
    WHERE c.id = e.child_id AND c.state IN ('waiting', 'blocked')
      AND (c.run_after IS NULL OR c.run_after < now() + make_interval(secs => :seconds))
    FOR NO KEY UPDATE) c
)
UPDATE task t SET run_after = now() + make_interval(secs => :seconds)
FROM delayed d CROSS JOIN LATERAL text_elements(d.ids) AS c(id)
WHERE t.id = c.id
