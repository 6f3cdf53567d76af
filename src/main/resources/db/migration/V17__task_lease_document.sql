-- The document that hands a leased task to its worker: {"task": its document, "parents": [{_id, channel, input,
-- output} of each parent, in the order the task names them]}, as text, which the service sends as it is. One
-- definition for the two statements that build it: TaskAcquire.sql, when it builds the documents of the tasks
-- it leases itself, and TaskLeasedDocuments.sql, which reads them after the lease. One read of the task's edges
-- gives both its parentIds and its parents; each parent is reached by a probe of its primary key from a LATERAL
-- sub-select that OFFSET 0 keeps whole.
-- A single-SELECT SQL function, neither STRICT nor SECURITY DEFINER, called in FROM: PostgreSQL inlines it into
-- the calling statement and plans it once with it (a function that is not inlined is planned again at every call).
CREATE FUNCTION task_lease_document(t task) RETURNS TABLE (document text) LANGUAGE sql STABLE AS $$
  SELECT '{"task":' || task_document_text(t, coalesce(json_agg(e.parent_id ORDER BY e.ord), '[]'::json))
    || ',"parents":'
    || coalesce(json_agg(json_build_object('_id', p.id, 'channel', p.channel, 'input', p.input, 'output', p.output)
                         ORDER BY e.ord), '[]'::json)::text
    || '}'
  FROM task_edge e
  CROSS JOIN LATERAL (SELECT p.id, p.channel, p.input, p.output FROM task p WHERE p.id = e.parent_id OFFSET 0) p
  WHERE e.child_id = t.id
$$;
