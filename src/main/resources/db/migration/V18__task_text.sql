-- task_json's document as text, with the task's parent ids read from its edges: what the reads of tasks in Crew's
-- wire shape (one task, several, a page of a group or a channel, the event streams, the heartbeat and the release)
-- send as they are. task_json is PL/pgSQL: it sets up its expressions again in every transaction, and its json is
-- the text of task_document_text validated by a cast and written out again by the caller. Measured on a bulk
-- creation of 1,000 tasks, the read of their documents with task_json took as long as the insert itself.
-- A single-SELECT SQL function, neither STRICT nor SECURITY DEFINER, called in FROM: PostgreSQL inlines it into
-- the calling statement and plans it once with it. The aggregate without GROUP BY gives one row, edges or not
-- (none: null, which task_document_text writes as []).
CREATE FUNCTION task_text(t task) RETURNS TABLE (document text) LANGUAGE sql STABLE AS $$
  SELECT task_document_text(t, json_agg(e.parent_id ORDER BY e.ord))
  FROM task_edge e
  WHERE e.child_id = t.id
$$;
