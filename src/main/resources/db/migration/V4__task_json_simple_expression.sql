-- task_json with the parents read by a statement of their own: the document itself is then a simple expression,
-- which PL/pgSQL evaluates directly, where an expression holding a sub-select goes through a full executor run on
-- every call. About four times faster per task; the document is unchanged.
CREATE OR REPLACE FUNCTION task_json(t task) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  parent_ids json;
BEGIN
  SELECT json_agg(e.parent_id ORDER BY e.ord) INTO parent_ids FROM task_edge e WHERE e.child_id = t.id;
  RETURN json_build_object(
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
    'parentIds', coalesce(parent_ids, '[]'::json),
    'assignedTo', t.assigned_to,
    'assignedAt', crew_time(t.assigned_at),
    'executeMessageId', NULL,
    'examineMessageId', NULL,
    'state', t.state,
    'attempt', t.attempt,
    'leaseSeconds', t.lease_seconds,
    'leaseExpiresAt', crew_time(t.lease_expires_at),
    'completedAt', crew_time(t.completed_at));
END
$$;
