-- A task's document written as text by concatenation, not by json_build_object: json_build_object looks up how to
-- write each of its 58 arguments (29 keys and their values) on every call, which made it about 7 µs of every
-- acquired task's database time; the concatenation costs half of that. Strings that may need escaping go through
-- to_json, nullable fields through coalesce(..., 'null'). The acquire's documents use the text as it is;
-- task_document, and task_json through it, keep returning json (the text, validated by the cast), so that the
-- document has one definition.
CREATE FUNCTION task_document_text(t task, parent_ids json) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT '{"_id":"' || t.id
    || '","taskGroupId":"' || t.group_id
    || '","name":' || coalesce(to_json(t.name)::text, 'null')
    || ',"channel":' || coalesce(to_json(t.channel)::text, 'null')
    || ',"workgroup":' || coalesce(to_json(t.workgroup)::text, 'null')
    || ',"key":' || coalesce(to_json(t.key)::text, 'null')
    || ',"remainingAttempts":' || t.remaining_attempts
    || ',"isPaused":' || t.is_paused
    || ',"parentsComplete":' || (t.parents_left = 0)
    || ',"isComplete":' || (t.state = 'complete')
    || ',"priority":' || t.priority
    || ',"runAfter":' || coalesce('"' || crew_time(greatest(t.run_after, t.available_at)) || '"', 'null')
    || ',"progressWeight":' || to_json(t.progress_weight)::text
    || ',"isSeed":' || t.is_seed
    || ',"errorDelayInSeconds":' || t.error_delay_seconds
    || ',"input":' || coalesce(t.input::text, 'null')
    || ',"errors":' || t.errors::text
    || ',"output":' || coalesce(t.output::text, 'null')
    || ',"createdAt":"' || crew_time(t.created_at)
    || '","parentIds":' || coalesce(parent_ids::text, '[]')
    || ',"assignedTo":' || coalesce(to_json(t.assigned_to)::text, 'null')
    || ',"assignedAt":' || coalesce('"' || crew_time(t.assigned_at) || '"', 'null')
    || ',"executeMessageId":null,"examineMessageId":null,"state":"' || t.state
    || '","attempt":' || t.attempt
    || ',"leaseSeconds":' || coalesce(t.lease_seconds::text, 'null')
    || ',"leaseExpiresAt":' || coalesce('"' || crew_time(t.lease_expires_at) || '"', 'null')
    || ',"completedAt":' || coalesce('"' || crew_time(t.completed_at) || '"', 'null')
    || '}'
$$;

CREATE OR REPLACE FUNCTION task_document(t task, parent_ids json) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT CAST(task_document_text(t, parent_ids) AS json)
$$;
