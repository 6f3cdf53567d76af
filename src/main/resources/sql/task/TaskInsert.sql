-- Creates tasks from a JSON array, each in the group it names (group_id): one request's tasks, or the single
-- creations of several requests served together (see TaskService). A parent that is not complete yet (including
-- a sibling created by this same statement, invisible to it) counts as open (task_parent_open); a failed, blocked or
-- cancelled parent blocks the new task (task_parent_dooms, task_waits). A task of a group that does not exist is not inserted. Each parent is one primary-key probe (see
-- TaskLockParents). Returns the id of each task inserted, with its document when :documents is true (a task
-- without parents: the edges of the others are inserted afterwards). The document is task_text's with no parent
-- ids, written in SQL: a PL/pgSQL function sets up its expressions again in every transaction.
INSERT INTO task (id, group_id, name, channel, workgroup, key, priority, run_after, remaining_attempts,
                  error_delay_seconds, lease_seconds, is_seed, is_paused, progress_weight, rate_units, input,
                  throttled, retry_policy, timeout_seconds, runs_when_parents_done, state, parents_left, available_at)
SELECT n.id, g.id, n.name, n.channel, n.workgroup, n.key, n.priority, n.run_after, n.remaining_attempts,
       n.error_delay_seconds, n.lease_seconds, n.is_seed, g.is_paused, n.progress_weight, n.rate_units, n.input,
       task_is_throttled(n.channel, n.workgroup), n.retry_policy, n.timeout_seconds,
       coalesce(n.runs_when_parents_done, false), w.state, p.open, w.available_at
FROM (SELECT r.id, r.group_id, r.name, r.channel, r.workgroup, r.key, r.priority, r.remaining_attempts,
             r.error_delay_seconds, r.lease_seconds, r.is_seed, r.progress_weight, r.rate_units, r.input, r.parent_ids,
             r.retry_policy, r.timeout_seconds, r.runs_when_parents_done,
             coalesce(r.run_after,
                      CASE WHEN :delaySeconds > 0 THEN now() + make_interval(secs => :delaySeconds) END) AS run_after,
             a.ord
      FROM json_array_elements(CAST(:tasks AS json)) WITH ORDINALITY AS a(doc, ord)
      CROSS JOIN LATERAL json_to_record(a.doc)
           AS r(id text, group_id text, name text, channel text, workgroup text, key text, priority integer,
                run_after timestamptz, remaining_attempts integer, error_delay_seconds integer,
                lease_seconds integer, is_seed boolean, progress_weight double precision, rate_units integer, input json,
                parent_ids text[], retry_policy json, timeout_seconds integer, runs_when_parents_done boolean)) n
CROSS JOIN LATERAL (
  SELECT cardinality(n.parent_ids)
           - count(pt.id) FILTER (WHERE NOT task_parent_open(coalesce(n.runs_when_parents_done, false), pt.state))
           AS open,
         coalesce(bool_or(task_parent_dooms(coalesce(n.runs_when_parents_done, false), pt.state)), false) AS doomed
  FROM unnest(n.parent_ids) AS parent(id)
  CROSS JOIN LATERAL (SELECT pt.id, pt.state FROM task pt WHERE pt.id = parent.id OFFSET 0) pt) p
CROSS JOIN LATERAL task_waits(p.open, p.doomed, n.run_after, n.workgroup) w
JOIN task_group g ON g.id = n.group_id
ORDER BY n.ord
RETURNING id, CASE WHEN :documents THEN task_document_text(task, '[]') END
