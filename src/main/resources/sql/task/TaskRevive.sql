-- Gives failed and cancelled tasks :attempts again and puts each back in line (waiting, scheduled or ready), with
-- the tasks cancelled below a cancelled one (a cancel took them along; a retry brings them back). Every task and
-- edge is an index probe; the tasks still failed or cancelled are locked by their probe, so that the update (by key
-- from their array, as in TaskBlock) needs no condition of its own. The states are checked outside the probes: inside
-- them, they would match the partial index of ended tasks (task_ended_idx), which a plan would read whole instead.
WITH RECURSIVE revived AS (
  SELECT t.id, t.state
  FROM text_elements(CAST(:ids AS text[])) AS i(id)
  CROSS JOIN LATERAL (SELECT t.id, t.state FROM task t WHERE t.id = i.id OFFSET 0) t
  WHERE t.state IN ('failed', 'cancelled')
  UNION
  SELECT c.id, c.state
  FROM revived r
  CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = r.id OFFSET 0) e
  CROSS JOIN LATERAL (SELECT c.id, c.state FROM task c WHERE c.id = e.child_id OFFSET 0) c
  WHERE r.state = 'cancelled' AND c.state = 'cancelled'
), stopped AS (
  SELECT s.id
  FROM revived r
  CROSS JOIN LATERAL (SELECT s.id, s.state FROM task s WHERE s.id = r.id OFFSET 0 FOR NO KEY UPDATE) s
  WHERE s.state IN ('failed', 'cancelled')
)
UPDATE task t SET
  remaining_attempts = :attempts,
  (state, available_at) = (SELECT n.state, n.available_at
                           FROM task_waits(t.parents_left, false, t.run_after, t.workgroup) n)
FROM (SELECT array_agg(s.id) AS ids FROM stopped s) a CROSS JOIN LATERAL text_elements(a.ids) AS i(id)
WHERE t.id = i.id
RETURNING t.id
