-- The schema after every migration in src/main/resources/db/migration, as pg_dump --schema-only prints it
-- (the flyway_schema_history table left out). Written by
--   ./mvnw test -Dtest=SchemaSnapshotTest -Dcrew.schema.write=true
-- and checked by the same test, which fails when a migration changes the schema without this file.
--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: attempt_outcome; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.attempt_outcome AS ENUM (
    'completed',
    'failed',
    'abandoned',
    'merged',
    'reset',
    'cancelled',
    'timed_out'
);

--
-- Name: schedule_catch_up; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.schedule_catch_up AS ENUM (
    'none',
    'latest',
    'all'
);

--
-- Name: schedule_overlap; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.schedule_overlap AS ENUM (
    'allow',
    'skip'
);

--
-- Name: task_state; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.task_state AS ENUM (
    'waiting',
    'scheduled',
    'ready',
    'running',
    'complete',
    'failed',
    'blocked',
    'cancelled'
);

--
-- Name: crew_time(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.crew_time(ts timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

--
-- Name: json_array_append(json, json); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.json_array_append(items json, item json) RETURNS json
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CAST(CASE WHEN json_array_length(items) = 0 THEN '[' || item::text || ']'
                   ELSE left(rtrim(items::text), -1) || ',' || item::text || ']' END AS json)
$$;

--
-- Name: json_elements(json); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.json_elements(doc json) RETURNS SETOF json
    LANGUAGE plpgsql IMMUTABLE STRICT ROWS 1 PARALLEL SAFE
    AS $$ BEGIN RETURN QUERY SELECT json_array_elements(doc); END $$;

--
-- Name: task_attempt_ends(integer, bigint, timestamp with time zone, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_attempt_ends(attempts_left integer, parents_open bigint, run_after timestamp with time zone, workgroup_name text, OUT state public.task_state, OUT available_at timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
  IF attempts_left <= 0 THEN
    state := 'failed';
    RETURN;
  END IF;
  SELECT w.state, w.available_at INTO state, available_at
  FROM task_waits(parents_open, false, run_after, workgroup_name) w;
END
$$;

--
-- Name: task_is_consistent(text, public.task_state, integer, integer, integer, integer, integer, double precision, json, text, timestamp with time zone, timestamp with time zone, timestamp with time zone, timestamp with time zone, integer, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_is_consistent(id text, state public.task_state, remaining_attempts integer, parents_left integer, attempt integer, error_delay_seconds integer, lease_seconds integer, progress_weight double precision, errors json, assigned_to text, assigned_at timestamp with time zone, lease_expires_at timestamp with time zone, completed_at timestamp with time zone, available_at timestamp with time zone, timeout_seconds integer, deadline_at timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task (
    id text NOT NULL,
    seq bigint NOT NULL,
    group_id text NOT NULL,
    name text,
    channel text,
    workgroup text,
    key text,
    priority integer DEFAULT 0 NOT NULL,
    run_after timestamp with time zone,
    available_at timestamp with time zone,
    remaining_attempts integer DEFAULT 5 NOT NULL,
    error_delay_seconds integer DEFAULT 30 NOT NULL,
    lease_seconds integer,
    is_seed boolean DEFAULT false NOT NULL,
    is_paused boolean DEFAULT false NOT NULL,
    progress_weight double precision DEFAULT 1 NOT NULL,
    input json,
    output json,
    errors json DEFAULT '[]'::json NOT NULL,
    state public.task_state NOT NULL,
    parents_left integer DEFAULT 0 NOT NULL,
    attempt integer DEFAULT 0 NOT NULL,
    assigned_to text,
    assigned_at timestamp with time zone,
    lease_expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    rate_units integer,
    throttled boolean DEFAULT false NOT NULL,
    retry_policy json,
    timeout_seconds integer,
    runs_when_parents_done boolean DEFAULT false NOT NULL,
    deadline_at timestamp with time zone,
    ended_at timestamp with time zone,
    CONSTRAINT task_consistent CHECK (public.task_is_consistent(id, state, remaining_attempts, parents_left, attempt, error_delay_seconds, lease_seconds, progress_weight, errors, assigned_to, assigned_at, lease_expires_at, completed_at, available_at, timeout_seconds, deadline_at)),
    CONSTRAINT task_rate_units_check CHECK ((rate_units > 0))
)
WITH (fillfactor='80', autovacuum_vacuum_scale_factor='0.01', autovacuum_vacuum_threshold='1000', autovacuum_vacuum_insert_scale_factor='0.05', autovacuum_analyze_scale_factor='0.02', autovacuum_vacuum_cost_delay='0');

--
-- Name: task_document_text(public.task, json); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_document_text(t public.task, parent_ids json) RETURNS text
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: task_events_announce(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_events_announce() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now()) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- The rows are gone once this is read: the notification carries what identifies them.
    PERFORM pg_notify('crew_events', json_build_object('event', 'task:delete', 'group', c.group_id,
                                                       'tasks', c.tasks)::text)
    FROM (SELECT group_id, json_agg(json_build_object('_id', id, 'taskGroupId', group_id, 'name', left(name, 200),
                                                      'channel', left(channel, 200))) AS tasks
          FROM (SELECT o.*, (row_number() OVER (PARTITION BY o.group_id ORDER BY o.seq) - 1) / 20 AS chunk
                FROM old_rows o) x
          GROUP BY group_id, chunk) c;
    RETURN NULL;
  END IF;
  PERFORM pg_notify('crew_events', json_build_object(
            'event', CASE TG_OP WHEN 'INSERT' THEN 'task:create' ELSE 'task:update' END,
            'group', c.group_id, 'ids', c.ids)::text)
  FROM (SELECT group_id, json_agg(id ORDER BY seq) AS ids
        FROM (SELECT n.id, n.group_id, n.seq, (row_number() OVER (PARTITION BY n.group_id ORDER BY n.seq) - 1) / 200
                       AS chunk
              FROM new_rows n) x
        GROUP BY group_id, chunk) c;
  IF TG_OP = 'UPDATE' THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'task:key', 'group', c.group_id, 'ids', c.ids)::text)
    FROM (SELECT group_id, json_agg(id ORDER BY seq) AS ids
          FROM (SELECT n.id, n.group_id, n.seq, (row_number() OVER (PARTITION BY n.group_id ORDER BY n.seq) - 1) / 200
                         AS chunk
                FROM new_rows n
                WHERE n.key IS NOT NULL
                  AND (n.assigned_at >= statement_timestamp() OR n.completed_at = now()
                       OR n.state <> 'running' AND EXISTS (
                            SELECT 1 FROM finished_attempt a
                            WHERE a.task_id = n.id AND a.attempt = n.attempt AND a.finished_at = now()
                              AND a.outcome = 'failed'))) x
          GROUP BY group_id, chunk) c;
  END IF;
  RETURN NULL;
END
$$;

--
-- Name: task_group_events_announce(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_group_events_announce() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now()) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'group:create', 'group', NEW.id)::text);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'task_group:update', 'group', NEW.id)::text);
    IF NEW.is_paused IS DISTINCT FROM OLD.is_paused THEN
      PERFORM pg_notify('crew_events', json_build_object('event', 'group:syncPause', 'group', NEW.id,
                                                         'data', json_build_object('isPaused', NEW.is_paused))::text);
    END IF;
  ELSE
    PERFORM pg_notify('crew_events', json_build_object('event', 'group:delete', 'group', OLD.id,
                                                       'data', json_build_object('_id', OLD.id, 'name', left(OLD.name, 200),
                                                                                 'isPaused', OLD.is_paused))::text);
  END IF;
  RETURN NULL;
END
$$;

--
-- Name: task_is_throttled(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_is_throttled(channel_name text, workgroup_name text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
  IF channel_name IS NOT NULL
     AND EXISTS (SELECT 1 FROM channel_setting c WHERE c.channel = channel_name AND c.fairness = 'workgroup') THEN
    RETURN true;
  END IF;
  RETURN workgroup_name IS NOT NULL
     AND EXISTS (SELECT 1 FROM workgroup_chain(workgroup_name) w
                 WHERE w.max_running IS NOT NULL OR w.rate_limit IS NOT NULL);
END
$$;

--
-- Name: task_json(public.task); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_json(t public.task) RETURNS json
    LANGUAGE sql STABLE
    AS $$
  SELECT document::json FROM task_text(t)
$$;

--
-- Name: task_lease_document(public.task); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_lease_document(t public.task) RETURNS TABLE(document text)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: task_lease_ended(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_lease_ended() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('crew_ready', coalesce(OLD.channel, ''))
  FROM (SELECT 1 FROM workgroup_chain(OLD.workgroup) w WHERE w.max_running IS NOT NULL AND w.cap_reached LIMIT 1) f;
  RETURN NULL;
END
$$;

--
-- Name: task_lease_joined(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_lease_joined() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  UPDATE workgroup w SET leased = w.leased + 1, cap_reached = w.max_running IS NOT NULL
  WHERE w.name IN (SELECT c.name FROM workgroup_chain(NEW.workgroup) c);
  RETURN NULL;
END
$$;

--
-- Name: task_notify_ready(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_notify_ready() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('crew_ready', coalesce(NEW.channel, ''));
  RETURN NULL;
END
$$;

--
-- Name: task_parent_dooms(boolean, public.task_state); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_parent_dooms(child_runs_when_parents_done boolean, parent_state public.task_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT NOT child_runs_when_parents_done AND parent_state IN ('failed', 'blocked', 'cancelled')
$$;

--
-- Name: task_parent_open(boolean, public.task_state); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_parent_open(child_runs_when_parents_done boolean, parent_state public.task_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE WHEN child_runs_when_parents_done THEN parent_state NOT IN ('complete', 'failed', 'blocked', 'cancelled')
              ELSE parent_state <> 'complete' END
$$;

--
-- Name: task_record_end(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_record_end() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.ended_at := now();
  RETURN NEW;
END
$$;

--
-- Name: task_retry_at(json, text, integer, integer, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_retry_at(policy json, channel_name text, error_delay_seconds integer, failures integer, run_after timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: task_settles(public.task_state, timestamp with time zone, bigint, boolean, timestamp with time zone, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_settles(current public.task_state, current_available_at timestamp with time zone, parents_open bigint, parent_failed boolean, run_after timestamp with time zone, workgroup_name text, OUT state public.task_state, OUT available_at timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
  IF current IN ('waiting', 'blocked', 'scheduled', 'ready') THEN
    SELECT w.state, w.available_at INTO state, available_at
    FROM task_waits(parents_open, parent_failed, run_after, workgroup_name) w;
  ELSE
    state := current;
    available_at := current_available_at;
  END IF;
END
$$;

--
-- Name: task_text(public.task); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_text(t public.task) RETURNS TABLE(document text)
    LANGUAGE sql STABLE
    AS $$
  SELECT task_document_text(t, array_to_json(array_agg(e.parent_id ORDER BY e.ord)))
  FROM task_edge e
  WHERE e.child_id = t.id
$$;

--
-- Name: task_waiting_for(public.task); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_waiting_for(t public.task) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  SELECT '[' || coalesce(string_agg(r.doc, ',' ORDER BY r.ord, r.name), '') || ']'
  FROM (
    SELECT 1 AS ord, '' AS name, '{"reason":"parents","parentsLeft":' || t.parents_left || '}' AS doc
    WHERE t.parents_left > 0
    UNION ALL
    SELECT 2, '', '{"reason":"runAfter","until":"' || crew_time(t.run_after) || '"}'
    WHERE t.run_after > now()
    UNION ALL
    SELECT 3, '', '{"reason":"groupPaused"}'
    WHERE t.is_paused
    UNION ALL
    -- The workgroup's chain is read once for its three kinds of hold.
    SELECT h.ord, c.name, h.doc
    FROM workgroup_chain(t.workgroup) c
    CROSS JOIN LATERAL (SELECT CASE WHEN t.throttled AND c.max_running IS NOT NULL THEN workgroup_running(c) END
                        AS running) cap
    CROSS JOIN LATERAL (VALUES
      (4, CASE WHEN c.paused_until > now()
               THEN '{"reason":"workgroupPaused","workgroup":' || to_json(c.name)::text
                    || ',"until":"' || crew_time(c.paused_until) || '"}' END),
      (5, CASE WHEN cap.running >= c.max_running
               THEN '{"reason":"cap","workgroup":' || to_json(c.name)::text || ',"running":' || cap.running
                    || ',"maxRunning":' || c.max_running || '}' END),
      (6, CASE WHEN t.throttled AND workgroup_units_left(c) < coalesce(t.rate_units, 1)
               THEN '{"reason":"budget","workgroup":' || to_json(c.name)::text || ',"until":'
                    || coalesce('"' || crew_time(workgroup_units_at(c, coalesce(t.rate_units, 1))) || '"', 'null')
                    || '}' END)) h(ord, doc)
    WHERE t.workgroup IS NOT NULL AND h.doc IS NOT NULL
  ) r
$$;

--
-- Name: task_waits(bigint, boolean, timestamp with time zone, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_waits(parents_open bigint, parent_failed boolean, run_after timestamp with time zone, workgroup_name text, OUT state public.task_state, OUT available_at timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
  paused_until timestamptz;
BEGIN
  IF parents_open > 0 THEN
    state := CASE WHEN parent_failed THEN 'blocked' ELSE 'waiting' END;
    RETURN;
  END IF;
  IF workgroup_name IS NOT NULL THEN
    SELECT max(w.paused_until) INTO paused_until FROM workgroup_chain(workgroup_name) w;
  END IF;
  available_at := greatest(run_after, paused_until);
  IF available_at <= now() THEN
    available_at := NULL;
  END IF;
  state := CASE WHEN available_at IS NULL THEN 'ready' ELSE 'scheduled' END;
END
$$;

--
-- Name: text_elements(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.text_elements(items text[]) RETURNS SETOF text
    LANGUAGE plpgsql IMMUTABLE STRICT ROWS 1 PARALLEL SAFE
    AS $$ BEGIN RETURN QUERY SELECT unnest(items); END $$;

--
-- Name: workgroup_below(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_below(workgroup_name text) RETURNS SETOF text
    LANGUAGE sql STABLE
    AS $$
  WITH RECURSIVE below AS (
    SELECT workgroup_name AS name, 0 AS depth
    UNION ALL
    SELECT w.name, b.depth + 1 FROM below b JOIN workgroup w ON w.parent = b.name WHERE b.depth < 16
  )
  SELECT b.name FROM below b
$$;

--
-- Name: workgroup; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workgroup (
    name text NOT NULL,
    paused_until timestamp with time zone,
    reason text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    parent text,
    max_running integer,
    rate_limit double precision,
    rate_period_seconds double precision,
    rate_burst double precision,
    leased bigint DEFAULT 0 NOT NULL,
    units double precision,
    units_at timestamp with time zone,
    cap_reached boolean DEFAULT false NOT NULL,
    CONSTRAINT workgroup_max_running_check CHECK ((max_running > 0)),
    CONSTRAINT workgroup_not_own_parent CHECK ((parent <> name)),
    CONSTRAINT workgroup_rate_burst_check CHECK ((rate_burst > (0)::double precision)),
    CONSTRAINT workgroup_rate_limit_check CHECK ((rate_limit > (0)::double precision)),
    CONSTRAINT workgroup_rate_period_seconds_check CHECK ((rate_period_seconds > (0)::double precision)),
    CONSTRAINT workgroup_rate_whole CHECK ((((rate_limit IS NULL) = (rate_period_seconds IS NULL)) AND ((rate_burst IS NULL) OR (rate_limit IS NOT NULL)))),
    CONSTRAINT workgroup_running_check CHECK ((leased >= 0))
);

--
-- Name: COLUMN workgroup.leased; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workgroup.leased IS 'Leases of throttled tasks of this workgroup and its descendants taken so far (acquire''s own count, V32)';

--
-- Name: COLUMN workgroup.cap_reached; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.workgroup.cap_reached IS 'Whether the last acquire to lease in this workgroup (or a change that may fill its cap) left its cap full (V34)';

--
-- Name: workgroup_chain(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_chain(workgroup_name text) RETURNS SETOF public.workgroup
    LANGUAGE sql STABLE
    AS $$
  WITH RECURSIVE chain AS (
    SELECT w, 0 AS depth FROM workgroup w WHERE w.name = workgroup_name
    UNION ALL
    SELECT x.p, c.depth + 1
    FROM chain c CROSS JOIN LATERAL (SELECT p FROM workgroup p WHERE p.name = (c.w).parent OFFSET 0) x
    WHERE c.depth < 16
  )
  SELECT (c.w).* FROM chain c
$$;

--
-- Name: workgroup_events_announce(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_events_announce() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now()) THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'workgroup:delay',
              'data', json_build_object('workgroup', left(NEW.name, 200),
                                        'update', json_build_object('runAfter', crew_time(NEW.paused_until))))::text);
  END IF;
  RETURN NULL;
END
$$;

--
-- Name: workgroup_record_pause(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_record_pause() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO workgroup_pause_event (workgroup, paused_until, reason) VALUES (NEW.name, NEW.paused_until, NEW.reason);
  RETURN NULL;
END
$$;

--
-- Name: workgroup_running(public.workgroup); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_running(w public.workgroup) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
  IF (SELECT min(b.parent) FROM workgroup b WHERE b.parent >= w.name) IS DISTINCT FROM w.name THEN
    RETURN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name);
  END IF;
  RETURN (SELECT count(*) FROM task t
          WHERE t.state = 'running' AND t.throttled
            AND t.workgroup IN (SELECT b.name FROM workgroup_below(w.name) AS b(name)));
END
$$;

--
-- Name: workgroup_units_at(public.workgroup, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_units_at(w public.workgroup, needed double precision) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  SELECT CASE WHEN workgroup_units_left(w) >= needed THEN NULL
              WHEN w.units_at > now() AND w.rate_limit IS NULL THEN w.units_at
              WHEN w.units_at > now()
                THEN w.units_at + make_interval(secs => greatest(needed - w.units, 0) * w.rate_period_seconds
                                                        / w.rate_limit)
              WHEN w.rate_limit IS NULL OR needed > coalesce(w.rate_burst, w.rate_limit) THEN NULL
              ELSE now() + make_interval(secs => (needed - workgroup_units_left(w)) * w.rate_period_seconds
                                                 / w.rate_limit)
         END
$$;

--
-- Name: workgroup_units_left(public.workgroup); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_units_left(w public.workgroup) RETURNS double precision
    LANGUAGE sql STABLE
    AS $$
  SELECT workgroup_units_left_at(w, now())
$$;

--
-- Name: workgroup_units_left_at(public.workgroup, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workgroup_units_left_at(w public.workgroup, at timestamp with time zone) RETURNS double precision
    LANGUAGE sql STABLE
    AS $$
  SELECT CASE WHEN w.units_at > at THEN w.units
              WHEN w.rate_limit IS NULL THEN NULL
              WHEN w.units IS NULL THEN coalesce(w.rate_burst, w.rate_limit)
              ELSE least(coalesce(w.rate_burst, w.rate_limit),
                         w.units + extract(epoch FROM at - w.units_at) * w.rate_limit / w.rate_period_seconds)
         END
$$;

--
-- Name: channel_setting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.channel_setting (
    channel text NOT NULL,
    fairness text DEFAULT 'none'::text NOT NULL,
    clock bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    retry_policy json,
    timeout_seconds integer,
    CONSTRAINT channel_setting_fairness_check CHECK ((fairness = ANY (ARRAY['none'::text, 'workgroup'::text]))),
    CONSTRAINT channel_setting_timeout_seconds_check CHECK ((timeout_seconds > 0))
);

--
-- Name: event_listener; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.event_listener (
    instance_id text NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: fair_queue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.fair_queue (
    channel text NOT NULL,
    workgroup text NOT NULL,
    pass bigint NOT NULL
);

--
-- Name: finished_attempt; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.finished_attempt (
    task_id text NOT NULL,
    attempt integer NOT NULL,
    worker_id text,
    acquired_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    outcome public.attempt_outcome NOT NULL,
    error json
);

--
-- Name: operator; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operator (
    id text NOT NULL,
    channel text,
    url text,
    request_config json,
    is_paused boolean,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT operator_id_check CHECK ((id ~ '^[0-9a-f]{24}$'::text))
);

--
-- Name: report_task_timing; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_task_timing AS
 SELECT t.id AS task_id,
    t.group_id,
    t.channel,
    t.name,
    (t.state)::text AS state,
    t.created_at,
    first.acquired_at AS first_acquired_at,
    t.completed_at,
    EXTRACT(epoch FROM (first.acquired_at - t.created_at)) AS wait_seconds,
    EXTRACT(epoch FROM (ok.finished_at - ok.acquired_at)) AS run_seconds,
    EXTRACT(epoch FROM (t.completed_at - t.created_at)) AS total_seconds,
    t.attempt AS attempts
   FROM (((public.task t
     LEFT JOIN LATERAL ( SELECT min(a.acquired_at) AS acquired_at
           FROM public.finished_attempt a
          WHERE ((a.task_id = t.id) AND (a.outcome <> 'merged'::public.attempt_outcome))) f ON (true))
     LEFT JOIN LATERAL ( SELECT COALESCE(f.acquired_at,
                CASE
                    WHEN (t.state = 'running'::public.task_state) THEN t.assigned_at
                    ELSE NULL::timestamp with time zone
                END) AS acquired_at) first ON (true))
     LEFT JOIN LATERAL ( SELECT a.acquired_at,
            a.finished_at
           FROM public.finished_attempt a
          WHERE ((a.task_id = t.id) AND (a.outcome = 'completed'::public.attempt_outcome))
          ORDER BY a.attempt DESC
         LIMIT 1) ok ON (true));

--
-- Name: report_channel_durations; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_channel_durations AS
 SELECT report_task_timing.channel,
    (count(*))::integer AS tasks,
    (count(*) FILTER (WHERE (report_task_timing.state = 'complete'::text)))::integer AS completed,
    (count(*) FILTER (WHERE (report_task_timing.state = 'failed'::text)))::integer AS failed,
    avg(report_task_timing.wait_seconds) AS wait_avg_seconds,
    percentile_cont((0.5)::double precision) WITHIN GROUP (ORDER BY ((report_task_timing.wait_seconds)::double precision)) AS wait_p50_seconds,
    percentile_cont((0.95)::double precision) WITHIN GROUP (ORDER BY ((report_task_timing.wait_seconds)::double precision)) AS wait_p95_seconds,
    avg(report_task_timing.run_seconds) AS run_avg_seconds,
    percentile_cont((0.5)::double precision) WITHIN GROUP (ORDER BY ((report_task_timing.run_seconds)::double precision)) AS run_p50_seconds,
    percentile_cont((0.95)::double precision) WITHIN GROUP (ORDER BY ((report_task_timing.run_seconds)::double precision)) AS run_p95_seconds,
    max(report_task_timing.run_seconds) AS run_max_seconds,
    avg(report_task_timing.attempts) FILTER (WHERE (report_task_timing.state = 'complete'::text)) AS attempts_avg,
    (count(*) FILTER (WHERE (report_task_timing.state = 'cancelled'::text)))::integer AS cancelled
   FROM public.report_task_timing
  GROUP BY report_task_timing.channel;

--
-- Name: report_failures; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_failures AS
 SELECT a.finished_at,
    t.channel,
    t.group_id,
    a.task_id,
    t.name,
    a.attempt,
    a.worker_id,
    (a.outcome)::text AS outcome,
    (a.error)::jsonb AS error,
    a.acquired_at,
    (t.state)::text AS task_state,
    t.remaining_attempts
   FROM (public.finished_attempt a
     JOIN public.task t ON ((t.id = a.task_id)))
  WHERE (a.outcome = ANY (ARRAY['failed'::public.attempt_outcome, 'abandoned'::public.attempt_outcome, 'timed_out'::public.attempt_outcome]));

--
-- Name: report_group_progress; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_group_progress AS
SELECT
    NULL::text AS group_id,
    NULL::text AS name,
    NULL::boolean AS is_paused,
    NULL::timestamp with time zone AS created_at,
    NULL::integer AS total_tasks,
    NULL::integer AS complete_tasks,
    NULL::integer AS running_tasks,
    NULL::integer AS pending_tasks,
    NULL::integer AS waiting_tasks,
    NULL::integer AS failed_tasks,
    NULL::integer AS blocked_tasks,
    NULL::double precision AS progress,
    NULL::timestamp with time zone AS completed_at,
    NULL::integer AS cancelled_tasks;

--
-- Name: report_throughput_hourly; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_throughput_hourly AS
 SELECT date_trunc('hour'::text, a.finished_at) AS hour,
    t.channel,
    (count(*) FILTER (WHERE (a.outcome = 'completed'::public.attempt_outcome)))::integer AS completed,
    (count(*) FILTER (WHERE (a.outcome = 'merged'::public.attempt_outcome)))::integer AS merged,
    (count(*) FILTER (WHERE (a.outcome = 'failed'::public.attempt_outcome)))::integer AS failed,
    (count(*) FILTER (WHERE (a.outcome = 'abandoned'::public.attempt_outcome)))::integer AS abandoned,
    (count(*) FILTER (WHERE (a.outcome = 'reset'::public.attempt_outcome)))::integer AS reset,
    (count(*) FILTER (WHERE (a.outcome = 'timed_out'::public.attempt_outcome)))::integer AS timed_out,
    (count(*) FILTER (WHERE (a.outcome = 'cancelled'::public.attempt_outcome)))::integer AS cancelled
   FROM (public.finished_attempt a
     JOIN public.task t ON ((t.id = a.task_id)))
  GROUP BY (date_trunc('hour'::text, a.finished_at)), t.channel;

--
-- Name: workgroup_pause_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workgroup_pause_event (
    id bigint NOT NULL,
    workgroup text NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    paused_until timestamp with time zone,
    reason text
);

--
-- Name: report_workgroup_pauses; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_workgroup_pauses AS
 SELECT e.workgroup,
    e.changed_at AS paused_at,
    e.paused_until,
    e.reason,
        CASE
            WHEN (LEAST(e.paused_until, n.changed_at) <= now()) THEN LEAST(e.paused_until, n.changed_at)
            ELSE NULL::timestamp with time zone
        END AS ended_at,
    EXTRACT(epoch FROM (LEAST(e.paused_until, n.changed_at, now()) - e.changed_at)) AS paused_seconds
   FROM (public.workgroup_pause_event e
     LEFT JOIN LATERAL ( SELECT x.changed_at
           FROM public.workgroup_pause_event x
          WHERE ((x.workgroup = e.workgroup) AND (ROW(x.changed_at, x.id) > ROW(e.changed_at, e.id)))
          ORDER BY x.changed_at, x.id
         LIMIT 1) n ON (true))
  WHERE (e.paused_until > e.changed_at);

--
-- Name: schedule; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schedule (
    id text NOT NULL,
    name text NOT NULL,
    cron text,
    every_seconds integer,
    time_zone text NOT NULL,
    start_at timestamp with time zone,
    end_at timestamp with time zone,
    anchor_at timestamp with time zone NOT NULL,
    overlap public.schedule_overlap NOT NULL,
    catch_up public.schedule_catch_up NOT NULL,
    is_paused boolean DEFAULT false NOT NULL,
    template json NOT NULL,
    next_fire_at timestamp with time zone,
    last_group_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schedule_cron_or_interval CHECK (((cron IS NULL) <> (every_seconds IS NULL))),
    CONSTRAINT schedule_end_after_start CHECK (((end_at IS NULL) OR (start_at IS NULL) OR (end_at >= start_at))),
    CONSTRAINT schedule_every_seconds_check CHECK ((every_seconds > 0)),
    CONSTRAINT schedule_id_check CHECK ((id ~ '^[0-9a-f]{24}$'::text)),
    CONSTRAINT schedule_name_check CHECK ((name <> ''::text))
);

--
-- Name: schedule_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schedule_run (
    id bigint NOT NULL,
    schedule_id text NOT NULL,
    fire_time timestamp with time zone NOT NULL,
    is_manual boolean DEFAULT false NOT NULL,
    task_group_id text,
    skipped text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schedule_run_group_or_skipped CHECK (((task_group_id IS NULL) <> (skipped IS NULL)))
);

--
-- Name: schedule_run_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.schedule_run ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.schedule_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: task_attempt; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.task_attempt AS
 SELECT finished_attempt.task_id,
    finished_attempt.attempt,
    finished_attempt.worker_id,
    finished_attempt.acquired_at,
    finished_attempt.finished_at,
    finished_attempt.outcome,
    finished_attempt.error
   FROM public.finished_attempt
UNION ALL
 SELECT task.id AS task_id,
    task.attempt,
    task.assigned_to AS worker_id,
    task.assigned_at AS acquired_at,
    NULL::timestamp with time zone AS finished_at,
    NULL::public.attempt_outcome AS outcome,
    NULL::json AS error
   FROM public.task
  WHERE (task.state = 'running'::public.task_state);

--
-- Name: task_count_snapshot; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.task_count_snapshot (
    channel text NOT NULL,
    state text NOT NULL,
    tasks bigint NOT NULL,
    oldest_ready_at timestamp with time zone,
    taken_at timestamp with time zone NOT NULL
);

--
-- Name: task_edge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_edge (
    parent_id text NOT NULL,
    child_id text NOT NULL,
    ord smallint NOT NULL,
    CONSTRAINT task_edge_check CHECK ((parent_id <> child_id))
);

--
-- Name: task_group; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_group (
    id text NOT NULL,
    name text,
    is_paused boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT task_group_id_check CHECK ((id ~ '^[0-9a-f]{24}$'::text))
);

--
-- Name: task_group_summary; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.task_group_summary AS
SELECT
    NULL::text AS id,
    NULL::text AS name,
    NULL::boolean AS is_paused,
    NULL::timestamp with time zone AS created_at,
    NULL::integer AS total_tasks,
    NULL::integer AS complete_tasks,
    NULL::integer AS failed_tasks,
    NULL::timestamp with time zone AS completed_at,
    NULL::integer AS cancelled_tasks;

--
-- Name: task_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.task ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.task_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: workgroup_pause_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.workgroup_pause_event ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.workgroup_pause_event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: channel_setting channel_setting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.channel_setting
    ADD CONSTRAINT channel_setting_pkey PRIMARY KEY (channel);

--
-- Name: event_listener event_listener_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_listener
    ADD CONSTRAINT event_listener_pkey PRIMARY KEY (instance_id);

--
-- Name: fair_queue fair_queue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.fair_queue
    ADD CONSTRAINT fair_queue_pkey PRIMARY KEY (channel, workgroup);

--
-- Name: finished_attempt finished_attempt_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.finished_attempt
    ADD CONSTRAINT finished_attempt_pkey PRIMARY KEY (task_id, attempt);

--
-- Name: operator operator_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator
    ADD CONSTRAINT operator_pkey PRIMARY KEY (id);

--
-- Name: schedule schedule_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schedule
    ADD CONSTRAINT schedule_pkey PRIMARY KEY (id);

--
-- Name: schedule_run schedule_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schedule_run
    ADD CONSTRAINT schedule_run_pkey PRIMARY KEY (id);

--
-- Name: task_count_snapshot task_count_snapshot_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_count_snapshot
    ADD CONSTRAINT task_count_snapshot_pkey PRIMARY KEY (channel, state);

--
-- Name: task_edge task_edge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_edge
    ADD CONSTRAINT task_edge_pkey PRIMARY KEY (child_id, parent_id);

--
-- Name: task_group task_group_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_group
    ADD CONSTRAINT task_group_pkey PRIMARY KEY (id);

--
-- Name: task task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task
    ADD CONSTRAINT task_pkey PRIMARY KEY (id);

--
-- Name: workgroup_pause_event workgroup_pause_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workgroup_pause_event
    ADD CONSTRAINT workgroup_pause_event_pkey PRIMARY KEY (id);

--
-- Name: workgroup workgroup_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workgroup
    ADD CONSTRAINT workgroup_pkey PRIMARY KEY (name);

--
-- Name: operator_channel_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX operator_channel_idx ON public.operator USING btree (channel);

--
-- Name: operator_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX operator_created_idx ON public.operator USING btree (created_at DESC, id DESC);

--
-- Name: schedule_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schedule_created_idx ON public.schedule USING btree (created_at DESC, id DESC);

--
-- Name: schedule_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schedule_due_idx ON public.schedule USING btree (next_fire_at) WHERE ((NOT is_paused) AND (next_fire_at IS NOT NULL));

--
-- Name: schedule_run_fire_time_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX schedule_run_fire_time_key ON public.schedule_run USING btree (schedule_id, fire_time) WHERE (NOT is_manual);

--
-- Name: schedule_run_history_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX schedule_run_history_idx ON public.schedule_run USING btree (schedule_id, fire_time DESC, id DESC);

--
-- Name: task_channel_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_channel_idx ON public.task USING btree (channel, created_at DESC, seq DESC) WHERE (state <> 'running'::public.task_state);

--
-- Name: task_edge_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_edge_parent_idx ON public.task_edge USING btree (parent_id, child_id);

--
-- Name: task_ended_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_ended_idx ON public.task USING btree (state, ended_at DESC, seq DESC) WHERE (state = ANY (ARRAY['failed'::public.task_state, 'cancelled'::public.task_state]));

--
-- Name: task_group_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_group_created_idx ON public.task_group USING btree (created_at DESC, id DESC);

--
-- Name: task_group_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_group_idx ON public.task USING btree (group_id, seq);

--
-- Name: task_key_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_key_idx ON public.task USING btree (channel, key) WHERE ((key IS NOT NULL) AND (state <> 'complete'::public.task_state));

--
-- Name: task_ready_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_ready_idx ON public.task USING btree (channel, priority DESC, seq) WHERE ((state = 'ready'::public.task_state) AND (NOT is_paused) AND (NOT throttled));

--
-- Name: task_running_deadline_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_running_deadline_idx ON public.task USING btree (deadline_at) WHERE ((state = 'running'::public.task_state) AND (deadline_at IS NOT NULL));

--
-- Name: task_running_key_uidx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX task_running_key_uidx ON public.task USING btree (channel, key) WHERE ((state = 'running'::public.task_state) AND (key IS NOT NULL));

--
-- Name: task_running_lease_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_running_lease_idx ON public.task USING btree (lease_expires_at) WHERE (state = 'running'::public.task_state);

--
-- Name: task_running_throttled_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_running_throttled_idx ON public.task USING btree (workgroup) WHERE ((state = 'running'::public.task_state) AND throttled);

--
-- Name: task_scheduled_channel_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_scheduled_channel_idx ON public.task USING btree (channel, available_at) WHERE (state = 'scheduled'::public.task_state);

--
-- Name: task_scheduled_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_scheduled_idx ON public.task USING btree (available_at) WHERE (state = 'scheduled'::public.task_state);

--
-- Name: task_throttled_ready_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_throttled_ready_idx ON public.task USING btree (channel, COALESCE(workgroup, ''::text), priority DESC, seq) WHERE ((state = 'ready'::public.task_state) AND (NOT is_paused) AND throttled);

--
-- Name: task_workgroup_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_workgroup_idx ON public.task USING btree (workgroup) WHERE ((workgroup IS NOT NULL) AND (state <> 'complete'::public.task_state));

--
-- Name: workgroup_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX workgroup_parent_idx ON public.workgroup USING btree (parent) WHERE (parent IS NOT NULL);

--
-- Name: workgroup_pause_event_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX workgroup_pause_event_idx ON public.workgroup_pause_event USING btree (workgroup, changed_at, id);

--
-- Name: report_group_progress _RETURN; Type: RULE; Schema: public; Owner: -
--

CREATE OR REPLACE VIEW public.report_group_progress AS
 SELECT g.id AS group_id,
    g.name,
    g.is_paused,
    g.created_at,
    (count(t.id))::integer AS total_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'complete'::public.task_state)))::integer AS complete_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'running'::public.task_state)))::integer AS running_tasks,
    (count(t.id) FILTER (WHERE (t.state = ANY (ARRAY['ready'::public.task_state, 'scheduled'::public.task_state]))))::integer AS pending_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'waiting'::public.task_state)))::integer AS waiting_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'failed'::public.task_state)))::integer AS failed_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'blocked'::public.task_state)))::integer AS blocked_tasks,
        CASE
            WHEN (COALESCE(sum(t.progress_weight), (0)::double precision) = (0)::double precision) THEN (
            CASE
                WHEN ((count(t.id) > 0) AND bool_and((t.state = 'complete'::public.task_state))) THEN 1.0
                ELSE 0.0
            END)::double precision
            ELSE (COALESCE(sum(t.progress_weight) FILTER (WHERE (t.state = 'complete'::public.task_state)), (0)::double precision) / sum(t.progress_weight))
        END AS progress,
        CASE
            WHEN ((count(t.id) > 0) AND bool_and((t.state = 'complete'::public.task_state))) THEN max(t.completed_at)
            ELSE NULL::timestamp with time zone
        END AS completed_at,
    (count(t.id) FILTER (WHERE (t.state = 'cancelled'::public.task_state)))::integer AS cancelled_tasks
   FROM (public.task_group g
     LEFT JOIN public.task t ON ((t.group_id = g.id)))
  GROUP BY g.id;

--
-- Name: task_group_summary _RETURN; Type: RULE; Schema: public; Owner: -
--

CREATE OR REPLACE VIEW public.task_group_summary AS
 SELECT g.id,
    g.name,
    g.is_paused,
    g.created_at,
    (count(t.id))::integer AS total_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'complete'::public.task_state)))::integer AS complete_tasks,
    (count(t.id) FILTER (WHERE (t.state = 'failed'::public.task_state)))::integer AS failed_tasks,
        CASE
            WHEN ((count(t.id) > 0) AND bool_and((t.state = 'complete'::public.task_state))) THEN max(t.completed_at)
            ELSE NULL::timestamp with time zone
        END AS completed_at,
    (count(t.id) FILTER (WHERE (t.state = 'cancelled'::public.task_state)))::integer AS cancelled_tasks
   FROM (public.task_group g
     LEFT JOIN public.task t ON ((t.group_id = g.id)))
  GROUP BY g.id;

--
-- Name: task task_ended; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_ended BEFORE UPDATE OF state ON public.task FOR EACH ROW WHEN (((new.state = ANY (ARRAY['failed'::public.task_state, 'cancelled'::public.task_state])) AND (old.state IS DISTINCT FROM new.state))) EXECUTE FUNCTION public.task_record_end();

--
-- Name: task task_events_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_events_delete AFTER DELETE ON public.task REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_events_announce();

--
-- Name: task task_events_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_events_insert AFTER INSERT ON public.task REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_events_announce();

--
-- Name: task task_events_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_events_update AFTER UPDATE ON public.task REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_events_announce();

--
-- Name: task_group task_group_events; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_group_events AFTER INSERT OR DELETE OR UPDATE ON public.task_group FOR EACH ROW EXECUTE FUNCTION public.task_group_events_announce();

--
-- Name: task task_lease_ended_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_lease_ended_delete AFTER DELETE ON public.task FOR EACH ROW WHEN (((old.state = 'running'::public.task_state) AND old.throttled AND (old.workgroup IS NOT NULL))) EXECUTE FUNCTION public.task_lease_ended();

--
-- Name: task task_lease_ended_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_lease_ended_update AFTER UPDATE OF state, throttled, workgroup ON public.task FOR EACH ROW WHEN (((old.state = 'running'::public.task_state) AND old.throttled AND (old.workgroup IS NOT NULL) AND ((new.state <> 'running'::public.task_state) OR (NOT new.throttled) OR (new.workgroup IS DISTINCT FROM old.workgroup)))) EXECUTE FUNCTION public.task_lease_ended();

--
-- Name: task task_lease_joined; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_lease_joined AFTER UPDATE OF state, throttled, workgroup ON public.task FOR EACH ROW WHEN (((old.state = 'running'::public.task_state) AND (new.state = 'running'::public.task_state) AND new.throttled AND (new.workgroup IS NOT NULL) AND ((NOT old.throttled) OR (old.workgroup IS DISTINCT FROM new.workgroup)))) EXECUTE FUNCTION public.task_lease_joined();

--
-- Name: task task_ready_notify_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_ready_notify_insert AFTER INSERT ON public.task FOR EACH ROW WHEN (((new.state = 'ready'::public.task_state) AND (NOT new.is_paused))) EXECUTE FUNCTION public.task_notify_ready();

--
-- Name: task task_ready_notify_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_ready_notify_update AFTER UPDATE OF state, is_paused ON public.task FOR EACH ROW WHEN (((new.state = 'ready'::public.task_state) AND (NOT new.is_paused) AND ((old.state IS DISTINCT FROM 'ready'::public.task_state) OR old.is_paused))) EXECUTE FUNCTION public.task_notify_ready();

--
-- Name: workgroup workgroup_events_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workgroup_events_insert AFTER INSERT ON public.workgroup FOR EACH ROW EXECUTE FUNCTION public.workgroup_events_announce();

--
-- Name: workgroup workgroup_events_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workgroup_events_update AFTER UPDATE OF paused_until ON public.workgroup FOR EACH ROW WHEN ((new.paused_until IS DISTINCT FROM old.paused_until)) EXECUTE FUNCTION public.workgroup_events_announce();

--
-- Name: workgroup workgroup_pause_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workgroup_pause_insert AFTER INSERT ON public.workgroup FOR EACH ROW WHEN ((new.paused_until IS NOT NULL)) EXECUTE FUNCTION public.workgroup_record_pause();

--
-- Name: workgroup workgroup_pause_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER workgroup_pause_update AFTER UPDATE OF paused_until ON public.workgroup FOR EACH ROW WHEN ((new.paused_until IS DISTINCT FROM old.paused_until)) EXECUTE FUNCTION public.workgroup_record_pause();

--
-- Name: finished_attempt finished_attempt_task_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.finished_attempt
    ADD CONSTRAINT finished_attempt_task_id_fkey FOREIGN KEY (task_id) REFERENCES public.task(id) ON DELETE CASCADE;

--
-- Name: schedule_run schedule_run_schedule_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schedule_run
    ADD CONSTRAINT schedule_run_schedule_id_fkey FOREIGN KEY (schedule_id) REFERENCES public.schedule(id) ON DELETE CASCADE;

--
-- Name: task_edge task_edge_child_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_edge
    ADD CONSTRAINT task_edge_child_id_fkey FOREIGN KEY (child_id) REFERENCES public.task(id) ON DELETE CASCADE;

--
-- Name: task_edge task_edge_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_edge
    ADD CONSTRAINT task_edge_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.task(id) ON DELETE CASCADE;

--
-- Name: task task_group_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task
    ADD CONSTRAINT task_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.task_group(id) ON DELETE CASCADE;

--
-- Name: workgroup workgroup_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workgroup
    ADD CONSTRAINT workgroup_parent_fkey FOREIGN KEY (parent) REFERENCES public.workgroup(name);

--
-- PostgreSQL database dump complete
--

