-- Flow control per workgroup, enforced at acquire: a concurrency cap (max_running), a budget (a token bucket of
-- rate_limit units per rate_period_seconds, holding at most rate_burst), both also counted against every ancestor
-- workgroup (parent), and per channel an opt-in fair order across workgroups.
--
-- Tasks that any of this applies to are "throttled": they leave the ready index of the plain acquire and wait in a
-- second one ordered by workgroup, so that an acquire reads each workgroup's queue only as far as its cap and budget
-- allow, and skips a held workgroup in one probe however many tasks it holds. Tasks of workgroups without limits,
-- in channels without fairness, take the plain path as before.

ALTER TABLE workgroup
  ADD COLUMN parent text REFERENCES workgroup (name),
  ADD COLUMN max_running integer CHECK (max_running > 0),
  ADD COLUMN rate_limit double precision CHECK (rate_limit > 0),
  ADD COLUMN rate_period_seconds double precision CHECK (rate_period_seconds > 0),
  ADD COLUMN rate_burst double precision CHECK (rate_burst > 0),
  -- Leases of throttled tasks of this workgroup and its descendants that are running now (task_count_running).
  ADD COLUMN running integer NOT NULL DEFAULT 0 CHECK (running >= 0),
  -- The bucket: units left at units_at (refilling from then on); a units_at ahead is the API's own reset time,
  -- reported by a release, before which nothing refills.
  ADD COLUMN units double precision,
  ADD COLUMN units_at timestamptz,
  ADD CONSTRAINT workgroup_rate_whole CHECK ((rate_limit IS NULL) = (rate_period_seconds IS NULL)
                                             AND (rate_burst IS NULL OR rate_limit IS NOT NULL)),
  ADD CONSTRAINT workgroup_not_own_parent CHECK (parent <> name);

ALTER TABLE task
  ADD COLUMN rate_units integer CHECK (rate_units > 0),
  ADD COLUMN throttled boolean NOT NULL DEFAULT false;

CREATE TABLE channel_setting (
  channel text PRIMARY KEY,
  fairness text NOT NULL DEFAULT 'none' CHECK (fairness IN ('none', 'workgroup')),
  -- The fair order's clock: the turn of the last task handed out (see fair_queue).
  clock bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Fair order: each workgroup's queue in a fair channel has a pass, the turn of its last task handed out. The next
-- task of a queue has turn greatest(pass, channel clock) + its place in the queue, and acquires take the lowest turn
-- first within a priority: queues take turns, and a queue that was idle joins at the clock rather than owed the
-- turns it missed. '' stands for tasks without a workgroup.
CREATE TABLE fair_queue (
  channel text NOT NULL,
  workgroup text NOT NULL,
  pass bigint NOT NULL,
  PRIMARY KEY (channel, workgroup)
);

DROP INDEX task_ready_idx;
CREATE INDEX task_ready_idx ON task (channel, priority DESC, seq)
  WHERE state = 'ready' AND NOT is_paused AND NOT throttled;
CREATE INDEX task_throttled_ready_idx ON task (channel, (coalesce(workgroup, '')), priority DESC, seq)
  WHERE state = 'ready' AND NOT is_paused AND throttled;

-- A workgroup and its ancestors, nearest first (a cycle is refused when a parent is set; depth is bounded anyway).
CREATE FUNCTION workgroup_chain(workgroup_name text) RETURNS SETOF workgroup LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT w, 0 AS depth FROM workgroup w WHERE w.name = workgroup_name
    UNION ALL
    SELECT p, c.depth + 1 FROM chain c JOIN workgroup p ON p.name = (c.w).parent WHERE c.depth < 16
  )
  SELECT (c.w).* FROM chain c
$$;

-- Whether a task goes through the workgroup queues: its channel is fair, or its workgroup or an ancestor has a cap
-- or a budget.
CREATE FUNCTION task_is_throttled(channel_name text, workgroup_name text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
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

-- The units a workgroup's bucket holds now: null when it has no budget and no reported one.
CREATE FUNCTION workgroup_units_left(w workgroup) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN w.units_at > now() THEN w.units
              WHEN w.rate_limit IS NULL THEN NULL
              WHEN w.units IS NULL THEN coalesce(w.rate_burst, w.rate_limit)
              ELSE least(coalesce(w.rate_burst, w.rate_limit),
                         w.units + extract(epoch FROM now() - w.units_at) * w.rate_limit / w.rate_period_seconds)
         END
$$;

-- The running count of every workgroup in a chain follows the leases of its throttled tasks, whatever statement
-- takes or ends them (acquire; release, failure, reclaim, reset, delete, a change of workgroup or of limits): one
-- owner of the count.
-- Adds delta to the running count of a workgroup and of each ancestor, one row at a time up the chain (a workgroup
-- without a parent, the common case, is one update); returns whether any of them has a cap. Acquire locks a
-- chain's rows in name order, this walks it upwards: with nested workgroups the two can deadlock, which PostgreSQL
-- detects and the service retries (SQLSTATE 40P01).
CREATE FUNCTION workgroup_chain_add_running(workgroup_name text, delta integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  current text := workgroup_name;
  capped boolean := false;
  depth integer := 0;
BEGIN
  WHILE current IS NOT NULL AND depth <= 16 LOOP
    UPDATE workgroup w SET running = greatest(w.running + delta, 0) WHERE w.name = current
    RETURNING w.parent, capped OR w.max_running IS NOT NULL INTO current, capped;
    depth := depth + 1;
  END LOOP;
  RETURN capped;
END
$$;

CREATE FUNCTION task_count_running() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := TG_OP <> 'INSERT' AND OLD.state = 'running' AND OLD.throttled;
  counts boolean := TG_OP <> 'DELETE' AND NEW.state = 'running' AND NEW.throttled;
BEGIN
  IF was AND OLD.workgroup IS NOT NULL AND NOT (counts AND NEW.workgroup IS NOT DISTINCT FROM OLD.workgroup) THEN
    IF workgroup_chain_add_running(OLD.workgroup, -1) THEN
      -- A freed slot of a cap makes the channel's waiting acquires look again.
      PERFORM pg_notify('crew_ready', coalesce(OLD.channel, ''));
    END IF;
  END IF;
  IF counts AND NEW.workgroup IS NOT NULL AND NOT (was AND NEW.workgroup IS NOT DISTINCT FROM OLD.workgroup) THEN
    PERFORM workgroup_chain_add_running(NEW.workgroup, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_running_count_update
  AFTER UPDATE OF state, throttled, workgroup ON task
  FOR EACH ROW WHEN ((OLD.throttled OR NEW.throttled)
                     AND ((OLD.state = 'running') <> (NEW.state = 'running') OR OLD.throttled <> NEW.throttled
                          OR (NEW.state = 'running' AND OLD.workgroup IS DISTINCT FROM NEW.workgroup)))
  EXECUTE FUNCTION task_count_running();

CREATE TRIGGER task_running_count_delete
  AFTER DELETE ON task
  FOR EACH ROW WHEN (OLD.state = 'running' AND OLD.throttled)
  EXECUTE FUNCTION task_count_running();
