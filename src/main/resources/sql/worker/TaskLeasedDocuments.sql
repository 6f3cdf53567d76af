-- The {task, parents} documents of tasks that TaskAcquire.sql has just leased, one (id, document) row per lease.
-- Read after the lease committed: acquires of a channel run one at a time (see Combiner), and building documents
-- is a good part of an acquire's cost, which the channel's next acquire does not wait for this way. A task that
-- is no longer leased to that worker and attempt (reset, retried or deleted in between) has no row, so it is not
-- handed out. One read of the task's edges gives both its parentIds and its parents. The document is built as
-- text (task_document_text), which the service sends as it is.
-- Every task row is reached by a probe of its primary key from a LATERAL sub-select that OFFSET 0 keeps whole:
-- the planner cannot turn it into a hash join over a scan of the table, which it prefers for small tables when
-- it guesses the size of the input (see json_elements). PlanStabilityTest checks the plan at every table size.
WITH lease AS (
  SELECT l.* FROM json_elements(CAST(:leases AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS l(id text, worker_id text, attempt integer)
)
SELECT l.id, '{"task":' || task_document_text(leased.t, parents.ids) || ',"parents":' || parents.docs::text || '}'
FROM lease l
CROSS JOIN LATERAL (
  SELECT t.id, t FROM task t WHERE t.id = l.id AND t.assigned_to = l.worker_id AND t.attempt = l.attempt OFFSET 0
) leased
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(e.parent_id ORDER BY e.ord), '[]'::json) AS ids,
         coalesce(json_agg(json_build_object('_id', p.id, 'channel', p.channel, 'input', p.input, 'output', p.output)
                           ORDER BY e.ord), '[]'::json) AS docs
  FROM task_edge e
  CROSS JOIN LATERAL (SELECT p.id, p.channel, p.input, p.output FROM task p WHERE p.id = e.parent_id OFFSET 0) p
  WHERE e.child_id = leased.id
) parents
