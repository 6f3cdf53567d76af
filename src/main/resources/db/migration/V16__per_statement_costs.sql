-- What every statement paid before it touched a row, measured with perf on the server at batch 1 (one task per
-- acquire and per release), where it is paid once per task: the two changes below took about a sixth of the
-- database's CPU time per task (docs/benchmarks.md).

-- 1. The inputs' row estimates (V11) in PL/pgSQL. A set-returning SQL function that is not inlined is parsed,
-- analysed and planned again at every call; PL/pgSQL keeps the plan of its query for the session. Same
-- signatures, same ROWS 1, still STRICT and never inlined.
CREATE OR REPLACE FUNCTION json_elements(doc json) RETURNS SETOF json
  LANGUAGE plpgsql STRICT IMMUTABLE PARALLEL SAFE ROWS 1
  AS $$ BEGIN RETURN QUERY SELECT json_array_elements(doc); END $$;

CREATE OR REPLACE FUNCTION text_elements(items text[]) RETURNS SETOF text
  LANGUAGE plpgsql STRICT IMMUTABLE PARALLEL SAFE ROWS 1
  AS $$ BEGIN RETURN QUERY SELECT unnest(items); END $$;

-- 2. The task's invariants as one CHECK. PostgreSQL reads every CHECK constraint of a table from its stored
-- expression tree and plans it anew in every statement that inserts or updates the table, and checks all of
-- them for every row, whichever columns changed: the fourteen constraints of `task` (11 kB of expression trees,
-- and a regular expression run for every row) cost each acquire and each release more than its own update.
-- One call of a PL/pgSQL function, whose expression PostgreSQL compiles once per session, enforces the same
-- rules. A rule that does not hold makes the function false, so that the row is refused.
CREATE FUNCTION task_is_consistent(
    id text, state task_state, remaining_attempts integer, parents_left integer, attempt integer,
    error_delay_seconds integer, lease_seconds integer, progress_weight double precision, errors jsonb,
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
    AND jsonb_typeof(errors) = 'array'
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

ALTER TABLE task
  DROP CONSTRAINT task_id_check,
  DROP CONSTRAINT task_error_delay_seconds_check,
  DROP CONSTRAINT task_lease_seconds_check,
  DROP CONSTRAINT task_progress_weight_check,
  DROP CONSTRAINT task_errors_check,
  DROP CONSTRAINT task_parents_left_check,
  DROP CONSTRAINT task_attempt_check,
  DROP CONSTRAINT task_attempts_not_negative,
  DROP CONSTRAINT task_live_has_attempts,
  DROP CONSTRAINT task_failed_has_no_attempts,
  DROP CONSTRAINT task_lease_iff_running,
  DROP CONSTRAINT task_completed_at_iff_complete,
  DROP CONSTRAINT task_available_at_iff_scheduled,
  DROP CONSTRAINT task_waiting_iff_parents_left,
  ADD CONSTRAINT task_consistent CHECK (task_is_consistent(
    id, state, remaining_attempts, parents_left, attempt, error_delay_seconds, lease_seconds, progress_weight,
    errors, assigned_to, assigned_at, lease_expires_at, completed_at, available_at));
