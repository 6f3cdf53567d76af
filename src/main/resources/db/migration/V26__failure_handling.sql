-- Failure handling: retry policies (backoff), execution timeouts, cancellation and steps that run whatever their
-- parents did. A task's own policy and timeout win over its channel's (channel_setting); neither set keeps Crew's
-- rule: a fixed errorDelayInSeconds, no timeout.

-- retry_policy: {"backoff": "fixed" | "exponential", "initialDelaySeconds", "factor", "maxDelaySeconds", "jitter"},
-- every field filled in by the service; null: the channel's policy, else fixed.
-- timeout_seconds: how long one attempt may run, heartbeats or not; null: the channel's, else unlimited.
-- runs_when_parents_done: runs once every parent has ended (complete, failed, blocked or cancelled), not only
-- once every parent completed.
-- deadline_at: when the running attempt times out, set by acquire from the timeout (null: none).
ALTER TABLE task
  ADD COLUMN retry_policy json,
  ADD COLUMN timeout_seconds integer,
  ADD COLUMN runs_when_parents_done boolean NOT NULL DEFAULT false,
  ADD COLUMN deadline_at timestamptz;

-- Defaults per channel, for the tasks of the channel that set none themselves; read when an attempt starts (the
-- timeout) and when it fails (the policy), so a change applies to tasks already queued.
ALTER TABLE channel_setting
  ADD COLUMN retry_policy    json,
  ADD COLUMN timeout_seconds integer CHECK (timeout_seconds > 0);

-- The lifecycle CHECK, with the attempt's deadline (held by running tasks only) and the timeout. A cancelled task
-- holds no lease, has no completed_at and no available_at (the rules below already say so for every state but
-- running, complete and scheduled).
ALTER TABLE task DROP CONSTRAINT task_consistent;
DROP FUNCTION task_is_consistent(text, task_state, integer, integer, integer, integer, integer, double precision,
                                 json, text, timestamptz, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION task_is_consistent(
    id text, state task_state, remaining_attempts integer, parents_left integer, attempt integer,
    error_delay_seconds integer, lease_seconds integer, progress_weight double precision, errors json,
    assigned_to text, assigned_at timestamptz, lease_expires_at timestamptz, completed_at timestamptz,
    available_at timestamptz, timeout_seconds integer, deadline_at timestamptz) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN
    -- an id is 24 lowercase hexadecimal digits, as Crew's ObjectIds
    length(id) = 24 AND ltrim(id, '0123456789abcdef') = ''
    AND remaining_attempts >= 0 AND parents_left >= 0 AND attempt >= 0 AND error_delay_seconds >= 0
    AND (lease_seconds IS NULL OR lease_seconds > 0)
    AND (timeout_seconds IS NULL OR timeout_seconds > 0)
    AND progress_weight >= 0
    AND json_typeof(errors) = 'array' -- reads the first token only
    -- live tasks have attempts left, failed ones have none
    AND (state NOT IN ('scheduled', 'ready', 'running') OR remaining_attempts > 0)
    AND (state <> 'failed' OR remaining_attempts = 0)
    -- exactly the running tasks hold a lease, and only they have a deadline
    AND (state = 'running') = (assigned_to IS NOT NULL AND assigned_at IS NOT NULL AND lease_expires_at IS NOT NULL)
    AND (deadline_at IS NULL OR state = 'running')
    -- exactly the complete ones have completed_at, exactly the scheduled ones available_at
    AND (state = 'complete') = (completed_at IS NOT NULL)
    AND (state = 'scheduled') = (available_at IS NOT NULL)
    -- among the unfinished tasks, parents are left exactly for the waiting and the blocked ones
    AND (state NOT IN ('waiting', 'blocked', 'scheduled', 'ready') OR (parents_left > 0) = (state IN ('waiting', 'blocked')));
END
$$;
ALTER TABLE task ADD CONSTRAINT task_consistent CHECK (task_is_consistent(
    id, state, remaining_attempts, parents_left, attempt, error_delay_seconds, lease_seconds, progress_weight,
    errors, assigned_to, assigned_at, lease_expires_at, completed_at, available_at, timeout_seconds, deadline_at));

-- The running attempts with a deadline, soonest first: what the reclaimer ends as timed out.
CREATE INDEX task_running_deadline_idx ON task (deadline_at) WHERE state = 'running' AND deadline_at IS NOT NULL;

-- When the next attempt of a task whose attempt just failed may start, on the database clock: the task's retry
-- policy, else its channel's, else Crew's fixed errorDelayInSeconds. Exponential: initialDelaySeconds *
-- factor ^ (failures - 1), at most maxDelaySeconds (failures: the errors the task has had, this one included).
-- Jitter j takes a random part of up to j of the delay off it, so the delay lies in [delay * (1 - j), delay].
-- No delay: the task's runAfter stays its next time. Used by every statement that ends an attempt without success
-- (TaskFail, TaskReclaimExpired).
CREATE FUNCTION task_retry_at(policy json, channel_name text, error_delay_seconds integer, failures integer,
                              run_after timestamptz) RETURNS timestamptz
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  p json := coalesce(policy, (SELECT s.retry_policy FROM channel_setting s WHERE s.channel = channel_name));
  delay double precision := error_delay_seconds;
BEGIN
  IF p ->> 'backoff' = 'exponential' THEN
    -- the factor is at most 10 (validated): 10 ^ 60 stays far inside a double
    delay := least(CAST(p ->> 'initialDelaySeconds' AS double precision)
                     * power(CAST(p ->> 'factor' AS double precision), least(greatest(failures - 1, 0), 60)),
                   CAST(p ->> 'maxDelaySeconds' AS double precision));
  END IF;
  delay := delay * (1 - coalesce(CAST(p ->> 'jitter' AS double precision), 0) * random());
  IF delay <= 0 THEN
    RETURN run_after;
  END IF;
  RETURN now() + make_interval(secs => delay);
END
$$;

-- Whether a parent in the given state still holds its child back: until it completes, or, for a child that runs
-- when its parents are done, until it has ended in any way (failed, blocked or cancelled: it runs no more
-- unless retried).
CREATE FUNCTION task_parent_open(child_runs_when_parents_done boolean, parent_state task_state) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN child_runs_when_parents_done THEN parent_state NOT IN ('complete', 'failed', 'blocked', 'cancelled')
              ELSE parent_state <> 'complete' END
$$;

-- Whether a parent in the given state blocks its child: it failed, is blocked or was cancelled, and the child
-- waits for its parents to complete.
CREATE FUNCTION task_parent_dooms(child_runs_when_parents_done boolean, parent_state task_state) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT NOT child_runs_when_parents_done AND parent_state IN ('failed', 'blocked', 'cancelled')
$$;

-- The task document: the retry policy, timeout and runWhen when set, and the running attempt's deadline
-- (timeoutAt); a task that sets none of them reads as before.
CREATE OR REPLACE FUNCTION task_document_text(t task, parent_ids json) RETURNS text LANGUAGE sql STABLE AS $$
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
    || CASE WHEN t.retry_policy IS NULL THEN '' ELSE ',"retryPolicy":' || t.retry_policy::text END
    || CASE WHEN t.timeout_seconds IS NULL THEN '' ELSE ',"timeoutSeconds":' || t.timeout_seconds END
    || CASE WHEN t.runs_when_parents_done THEN ',"runWhen":"parentsDone"' ELSE '' END
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
    || CASE WHEN t.deadline_at IS NULL THEN '' ELSE ',"timeoutAt":"' || crew_time(t.deadline_at) || '"' END
    || ',"completedAt":' || coalesce('"' || crew_time(t.completed_at) || '"', 'null')
    || ',"rateUnits":' || coalesce(t.rate_units, 1)
    || ',"waitingFor":'
    || CASE WHEN t.state IN ('running', 'complete', 'failed', 'cancelled') THEN '[]' ELSE task_waiting_for(t) END
    || '}'
$$;

-- The lease document: a task that runs when its parents are done also reads how each parent ended (its state
-- and its last error, beside its output).
CREATE OR REPLACE FUNCTION task_lease_document(t task) RETURNS TABLE(document text) LANGUAGE sql STABLE AS $$
  SELECT '{"task":' || task_document_text(t, array_to_json(array_agg(e.parent_id ORDER BY e.ord)))
    || ',"parents":['
    || coalesce(string_agg('{"_id":"' || p.id || '","channel":' || coalesce(to_json(p.channel)::text, 'null')
                           || ',"input":' || coalesce(p.input::text, 'null')
                           || ',"output":' || coalesce(p.output::text, 'null')
                           || CASE WHEN t.runs_when_parents_done
                                   THEN ',"state":"' || p.state || '","error":' || coalesce((p.errors -> -1)::text, 'null')
                                   ELSE '' END
                           || '}',
                           ',' ORDER BY e.ord), '')
    || ']}'
  FROM task_edge e
  CROSS JOIN LATERAL (SELECT p.id, p.channel, p.input, p.output, p.state, p.errors FROM task p
                      WHERE p.id = e.parent_id OFFSET 0) p
  WHERE e.child_id = t.id
$$;

-- Reporting: cancelled tasks and the new attempt outcomes, in columns added at the end.
CREATE OR REPLACE VIEW report_channel_durations AS
SELECT channel,
       count(*)::int AS tasks,
       count(*) FILTER (WHERE state = 'complete')::int AS completed,
       count(*) FILTER (WHERE state = 'failed')::int AS failed,
       avg(wait_seconds) AS wait_avg_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds) AS wait_p50_seconds,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_seconds) AS wait_p95_seconds,
       avg(run_seconds) AS run_avg_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY run_seconds) AS run_p50_seconds,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY run_seconds) AS run_p95_seconds,
       max(run_seconds) AS run_max_seconds,
       avg(attempts) FILTER (WHERE state = 'complete') AS attempts_avg,
       count(*) FILTER (WHERE state = 'cancelled')::int AS cancelled
FROM report_task_timing
GROUP BY channel;

CREATE OR REPLACE VIEW report_throughput_hourly AS
SELECT date_trunc('hour', a.finished_at) AS hour, t.channel,
       count(*) FILTER (WHERE a.outcome = 'completed')::int AS completed,
       count(*) FILTER (WHERE a.outcome = 'merged')::int AS merged,
       count(*) FILTER (WHERE a.outcome = 'failed')::int AS failed,
       count(*) FILTER (WHERE a.outcome = 'abandoned')::int AS abandoned,
       count(*) FILTER (WHERE a.outcome = 'reset')::int AS reset,
       count(*) FILTER (WHERE a.outcome = 'timed_out')::int AS timed_out,
       count(*) FILTER (WHERE a.outcome = 'cancelled')::int AS cancelled
FROM finished_attempt a JOIN task t ON t.id = a.task_id
GROUP BY 1, 2;

-- Attempts that failed, were abandoned or timed out.
CREATE OR REPLACE VIEW report_failures AS
SELECT a.finished_at, t.channel, t.group_id, a.task_id, t.name, a.attempt, a.worker_id, a.outcome::text AS outcome,
       CAST(a.error AS jsonb) AS error, a.acquired_at, t.state::text AS task_state, t.remaining_attempts
FROM finished_attempt a JOIN task t ON t.id = a.task_id
WHERE a.outcome IN ('failed', 'abandoned', 'timed_out');

CREATE OR REPLACE VIEW report_group_progress AS
SELECT g.id AS group_id, g.name, g.is_paused, g.created_at,
       count(t.id)::int AS total_tasks,
       count(t.id) FILTER (WHERE t.state = 'complete')::int AS complete_tasks,
       count(t.id) FILTER (WHERE t.state = 'running')::int AS running_tasks,
       count(t.id) FILTER (WHERE t.state IN ('ready', 'scheduled'))::int AS pending_tasks,
       count(t.id) FILTER (WHERE t.state = 'waiting')::int AS waiting_tasks,
       count(t.id) FILTER (WHERE t.state = 'failed')::int AS failed_tasks,
       count(t.id) FILTER (WHERE t.state = 'blocked')::int AS blocked_tasks,
       CASE WHEN coalesce(sum(t.progress_weight), 0) = 0
              THEN CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN 1.0 ELSE 0.0 END
            ELSE coalesce(sum(t.progress_weight) FILTER (WHERE t.state = 'complete'), 0) / sum(t.progress_weight)
       END AS progress,
       CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN max(t.completed_at) END AS completed_at,
       count(t.id) FILTER (WHERE t.state = 'cancelled')::int AS cancelled_tasks
FROM task_group g LEFT JOIN task t ON t.group_id = g.id
GROUP BY g.id;

CREATE OR REPLACE VIEW task_group_summary AS
SELECT g.id, g.name, g.is_paused, g.created_at,
       count(t.id)::int AS total_tasks,
       count(t.id) FILTER (WHERE t.state = 'complete')::int AS complete_tasks,
       count(t.id) FILTER (WHERE t.state = 'failed')::int AS failed_tasks,
       CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN max(t.completed_at) END AS completed_at,
       count(t.id) FILTER (WHERE t.state = 'cancelled')::int AS cancelled_tasks
FROM task_group g LEFT JOIN task t ON t.group_id = g.id
GROUP BY g.id;
