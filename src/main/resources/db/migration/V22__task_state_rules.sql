-- The rules that decide a task's next state, in one place. Every statement that moves a task into a waiting state
-- (created, released by its parents, out of a hold, back from a failed attempt, reset, revived, re-parented)
-- takes state and available_at from these functions; the statements only say which inputs changed. A new hold
-- (a budget, a cap) goes into task_waits, a new way for an attempt to end into task_attempt_ends.
-- Leaving a waiting state is not a rule but an act, written where it happens: the lease (TaskAcquire) and the
-- finishes (TaskComplete, TaskCompleteSimpleMany, TaskMergeDuplicates).

-- Where a task that is not running waits: behind its parents while any is open (blocked when one of them failed
-- for good), then until its runAfter and its workgroup's pause have both passed (scheduled, available_at the later
-- of the two), else ready. The workgroup row is read with the calling statement's snapshot.
CREATE FUNCTION task_waits(parents_open bigint, parent_failed boolean, run_after timestamptz, workgroup_name text,
                           OUT state task_state, OUT available_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  paused_until timestamptz;
BEGIN
  IF parents_open > 0 THEN
    state := CASE WHEN parent_failed THEN 'blocked' ELSE 'waiting' END;
    RETURN;
  END IF;
  IF workgroup_name IS NOT NULL THEN
    SELECT w.paused_until INTO paused_until FROM workgroup w WHERE w.name = workgroup_name;
  END IF;
  available_at := greatest(run_after, paused_until);
  IF available_at <= now() THEN
    available_at := NULL;
  END IF;
  state := CASE WHEN available_at IS NULL THEN 'ready' ELSE 'scheduled' END;
END
$$;

-- A task whose parents or holds changed: one in a waiting state settles anew; one running or finished keeps its
-- state (its attempt or its end decides what follows).
CREATE FUNCTION task_settles(current task_state, current_available_at timestamptz, parents_open bigint,
                             parent_failed boolean, run_after timestamptz, workgroup_name text,
                             OUT state task_state, OUT available_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
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

-- After an attempt ended without success (a failed release, a reclaimed lease): failed for good when no attempt is
-- left, else waiting again for its parents and holds (run_after: when the next attempt may start).
CREATE FUNCTION task_attempt_ends(attempts_left integer, parents_open bigint, run_after timestamptz,
                                  workgroup_name text, OUT state task_state, OUT available_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF attempts_left <= 0 THEN
    state := 'failed';
    RETURN;
  END IF;
  SELECT w.state, w.available_at INTO state, available_at
  FROM task_waits(parents_open, false, run_after, workgroup_name) w;
END
$$;

DROP FUNCTION task_hold_until(timestamptz, text);
