-- The {task, parents} documents of tasks that TaskAcquire.sql has just leased, one (id, document) row per lease.
-- Read after the lease committed: acquires of a channel run one at a time (see Combiner), and building documents
-- is a good part of an acquire's cost, which the channel's next acquire does not wait for this way. A task that
-- is no longer leased to that worker and attempt (reset, retried or deleted in between) has no row, so it is not
-- handed out. One read of the task's edges gives both its parentIds and its parents. The document is built as
-- text (task_document_text), which the service sends as it is.
WITH lease AS (
  SELECT * FROM json_to_recordset(CAST(:leases AS json)) AS l(id text, worker_id text, attempt integer)
)
SELECT l.id, '{"task":' || task_document_text(t, parents.ids) || ',"parents":' || parents.docs::text || '}'
FROM lease l
JOIN task t ON t.id = l.id AND t.assigned_to = l.worker_id AND t.attempt = l.attempt
CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(e.parent_id ORDER BY e.ord), '[]'::json) AS ids,
         coalesce(json_agg(json_build_object('_id', p.id, 'channel', p.channel, 'input', p.input, 'output', p.output)
                           ORDER BY e.ord), '[]'::json) AS docs
  FROM task_edge e JOIN task p ON p.id = e.parent_id
  WHERE e.child_id = t.id
) parents
