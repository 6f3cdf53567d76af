-- JSON as Crew writes it (JSON.stringify): compact, with no space between tokens. jsonb writes its text with a
-- space after each ':' and ',' and in its own key order, and the documents built with json_build_object and json_agg
-- put spaces around ':' and after ','. So the values that users give (a task's input, output and errors, an
-- attempt's error, an operator's request config) are stored as json, which keeps the text it is given: the service
-- writes it compact, with the keys in the order they were sent and the numbers as they were written. Reading it
-- back costs nothing (jsonb is written out anew at every read). The documents are built by concatenation, or from
-- json arrays (array_to_json), which are compact.

-- The stored values written out compact, in jsonb's key order (the order they were read in until now): a
-- one-time conversion of the rows already there.
CREATE FUNCTION json_compact(j jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  compact text;
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      SELECT '{' || coalesce(string_agg(to_json(e.key)::text || ':' || json_compact(e.value), ',' ORDER BY e.n), '')
             || '}'
      INTO compact FROM jsonb_each(j) WITH ORDINALITY AS e(key, value, n);
    WHEN 'array' THEN
      SELECT '[' || coalesce(string_agg(json_compact(e.value), ',' ORDER BY e.n), '') || ']'
      INTO compact FROM jsonb_array_elements(j) WITH ORDINALITY AS e(value, n);
    ELSE
      compact := j::text; -- a scalar: no space in it but those of a string
  END CASE;
  RETURN compact;
END
$$;

-- The views that read the attempt's error go while its type changes; they come back below, the same.
DROP VIEW task_attempt;
DROP VIEW report_failures;

-- The task's consistency check takes its errors as json now (only their type is checked: an array).
ALTER TABLE task DROP CONSTRAINT task_consistent;
DROP FUNCTION task_is_consistent(text, task_state, integer, integer, integer, integer, integer, double precision,
                                 jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION task_is_consistent(
    id text, state task_state, remaining_attempts integer, parents_left integer, attempt integer,
    error_delay_seconds integer, lease_seconds integer, progress_weight double precision, errors json,
    assigned_to text, assigned_at timestamptz, lease_expires_at timestamptz, completed_at timestamptz,
    available_at timestamptz) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN
    -- an id is 24 lowercase hexadecimal digits, as Crew's ObjectIds
    length(id) = 24 AND ltrim(id, '0123456789abcdef') = ''
    AND remaining_attempts >= 0 AND parents_left >= 0 AND attempt >= 0 AND error_delay_seconds >= 0
    AND (lease_seconds IS NULL OR lease_seconds > 0)
    AND progress_weight >= 0
    AND json_typeof(errors) = 'array' -- reads the first token only
    -- live tasks have attempts left, failed ones have none
    AND (state NOT IN ('scheduled', 'ready', 'running') OR remaining_attempts > 0)
    AND (state <> 'failed' OR remaining_attempts = 0)
    -- exactly the running tasks hold a lease
    AND (state = 'running') = (assigned_to IS NOT NULL AND assigned_at IS NOT NULL AND lease_expires_at IS NOT NULL)
    -- exactly the complete ones have completed_at, exactly the scheduled ones available_at
    AND (state = 'complete') = (completed_at IS NOT NULL)
    AND (state = 'scheduled') = (available_at IS NOT NULL)
    -- among the unfinished tasks, parents are left exactly for the waiting and the blocked ones
    AND (state NOT IN ('waiting', 'blocked', 'scheduled', 'ready') OR (parents_left > 0) = (state IN ('waiting', 'blocked')));
END
$$;

-- One rewrite of the table, which also checks the constraint on every row.
ALTER TABLE task
  ALTER COLUMN errors DROP DEFAULT,
  ALTER COLUMN input TYPE json USING json_compact(input)::json,
  ALTER COLUMN output TYPE json USING json_compact(output)::json,
  ALTER COLUMN errors TYPE json USING json_compact(errors)::json,
  ALTER COLUMN errors SET DEFAULT '[]',
  ADD CONSTRAINT task_consistent CHECK (task_is_consistent(
    id, state, remaining_attempts, parents_left, attempt, error_delay_seconds, lease_seconds, progress_weight,
    errors, assigned_to, assigned_at, lease_expires_at, completed_at, available_at));
ALTER TABLE finished_attempt ALTER COLUMN error TYPE json USING json_compact(error)::json;
ALTER TABLE operator ALTER COLUMN request_config TYPE json USING json_compact(request_config)::json;

DROP FUNCTION json_compact(jsonb);

-- As in V8, with the error as stored.
CREATE VIEW task_attempt AS
  SELECT task_id, attempt, worker_id, acquired_at, finished_at, outcome, error
  FROM finished_attempt
  UNION ALL
  SELECT id, attempt, assigned_to, assigned_at, NULL::timestamptz, NULL::attempt_outcome, NULL::json
  FROM task WHERE state = 'running';

-- As in V12; its columns are an interface (docs/reporting.md), so its error stays jsonb.
CREATE VIEW report_failures AS
SELECT a.finished_at, t.channel, t.group_id, a.task_id, t.name, a.attempt, a.worker_id, a.outcome::text AS outcome,
       a.error::jsonb AS error, a.acquired_at, t.state::text AS task_state, t.remaining_attempts
FROM finished_attempt a JOIN task t ON t.id = a.task_id
WHERE a.outcome IN ('failed', 'abandoned');

-- An array with one more element at its end, for the errors of a failure: the array's text with the element's
-- text before its closing bracket (json has no operator for it). Inlined into the calling statement.
CREATE FUNCTION json_array_append(items json, item json) RETURNS json LANGUAGE sql IMMUTABLE AS $$
  SELECT CAST(CASE WHEN json_array_length(items) = 0 THEN '[' || item::text || ']'
                   ELSE left(rtrim(items::text), -1) || ',' || item::text || ']' END AS json)
$$;

-- The documents, compact: the parent ids as array_to_json writes them (json_agg separates elements with ', ').
CREATE OR REPLACE FUNCTION task_text(t task) RETURNS TABLE (document text) LANGUAGE sql STABLE AS $$
  SELECT task_document_text(t, array_to_json(array_agg(e.parent_id ORDER BY e.ord)))
  FROM task_edge e
  WHERE e.child_id = t.id
$$;

-- Each parent written by concatenation, like the task (json_build_object puts spaces around its colons).
CREATE OR REPLACE FUNCTION task_lease_document(t task) RETURNS TABLE (document text) LANGUAGE sql STABLE AS $$
  SELECT '{"task":' || task_document_text(t, array_to_json(array_agg(e.parent_id ORDER BY e.ord)))
    || ',"parents":['
    || coalesce(string_agg('{"_id":"' || p.id || '","channel":' || coalesce(to_json(p.channel)::text, 'null')
                           || ',"input":' || coalesce(p.input::text, 'null')
                           || ',"output":' || coalesce(p.output::text, 'null') || '}',
                           ',' ORDER BY e.ord), '')
    || ']}'
  FROM task_edge e
  CROSS JOIN LATERAL (SELECT p.id, p.channel, p.input, p.output FROM task p WHERE p.id = e.parent_id OFFSET 0) p
  WHERE e.child_id = t.id
$$;

-- For SQL users: the same text as the API's document.
CREATE OR REPLACE FUNCTION task_json(t task) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
  parent_ids json;
BEGIN
  SELECT array_to_json(array_agg(e.parent_id ORDER BY e.ord)) INTO parent_ids FROM task_edge e WHERE e.child_id = t.id;
  RETURN task_document(t, coalesce(parent_ids, '[]'::json));
END
$$;
