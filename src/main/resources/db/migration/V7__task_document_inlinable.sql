-- A task's document given its parent ids, as an SQL function whose body is one expression: PostgreSQL inlines it
-- into the calling statement, where each field is read straight from the row. A statement that already reads the
-- task's edges (the acquire's documents, with their parents) passes the ids and spares the function call and its
-- own query of task_edge: about half the cost of a document. task_json keeps its signature and its output.
CREATE FUNCTION task_document(t task, parent_ids json) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    '_id', t.id,
    'taskGroupId', t.group_id,
    'name', t.name,
    'channel', t.channel,
    'workgroup', t.workgroup,
    'key', t.key,
    'remainingAttempts', t.remaining_attempts,
    'isPaused', t.is_paused,
    'parentsComplete', t.parents_left = 0,
    'isComplete', t.state = 'complete',
    'priority', t.priority,
    'runAfter', crew_time(greatest(t.run_after, t.available_at)),
    'progressWeight', t.progress_weight,
    'isSeed', t.is_seed,
    'errorDelayInSeconds', t.error_delay_seconds,
    'input', t.input,
    'errors', t.errors,
    'output', t.output,
    'createdAt', crew_time(t.created_at),
    'parentIds', parent_ids,
    'assignedTo', t.assigned_to,
    'assignedAt', crew_time(t.assigned_at),
    'executeMessageId', NULL,
    'examineMessageId', NULL,
    'state', t.state,
    'attempt', t.attempt,
    'leaseSeconds', t.lease_seconds,
    'leaseExpiresAt', crew_time(t.lease_expires_at),
    'completedAt', crew_time(t.completed_at))
$$;

CREATE OR REPLACE FUNCTION task_json(t task) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  parent_ids json;
BEGIN
  SELECT json_agg(e.parent_id ORDER BY e.ord) INTO parent_ids FROM task_edge e WHERE e.child_id = t.id;
  RETURN task_document(t, coalesce(parent_ids, '[]'::json));
END
$$;
