-- The end of a lease no longer writes its workgroup's row. The row's running count (V23) was written by every
-- lease start and every lease end of the workgroup's throttled tasks, so that all releases of a workgroup, and its
-- acquires, queued one behind another on that row, each holding it until its commit was flushed: a workgroup with
-- limits that never bind still worked its tasks one commit at a time.
--
-- Now the row counts the leases taken (leased, written by acquire, which locks the row anyway), and the ends are
-- counted in workgroup_freed, spread over shards by backend so that concurrent lease ends write different rows.
-- Running = leased - the sum of the freed shards (workgroup_running). Acquire reads the row after its lock (the
-- leases of every acquire before it) and the shards as its statement began: a lease end committed since is not
-- seen yet and its slot is counted as still taken, which errs on the safe side of the cap until the next acquire.

ALTER TABLE workgroup RENAME COLUMN running TO leased;
ALTER TABLE workgroup ALTER COLUMN leased TYPE bigint;
COMMENT ON COLUMN workgroup.leased IS
  'Leases of throttled tasks of this workgroup and its descendants taken so far; minus workgroup_freed: running now';

CREATE TABLE workgroup_freed (
  name text NOT NULL REFERENCES workgroup (name) ON UPDATE CASCADE ON DELETE CASCADE,
  shard integer NOT NULL,
  freed bigint NOT NULL,
  PRIMARY KEY (name, shard)
) WITH (fillfactor = 50);  -- room on each page for the next versions of its rows (HOT updates)

-- Leases of throttled tasks of a workgroup and its descendants that are running now.
CREATE FUNCTION workgroup_running(w workgroup) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT greatest(w.leased - coalesce((SELECT sum(f.freed) FROM workgroup_freed f WHERE f.name = w.name), 0), 0)
$$;

-- Counts one lease end for a workgroup and each ancestor, in this backend's shard; returns whether a cap of the
-- chain was full before it (a freed slot there makes the channel's waiting acquires look again). Lease ends still
-- running in other transactions count as running here, so a full cap is never missed.
CREATE FUNCTION workgroup_chain_free(workgroup_name text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  backend_shard integer := pg_backend_pid() % 16;
  was_full boolean;
BEGIN
  INSERT INTO workgroup_freed AS f (name, shard, freed)
  SELECT c.name, backend_shard, 1 FROM workgroup_chain(workgroup_name) c
  ON CONFLICT (name, shard) DO UPDATE SET freed = f.freed + 1;
  SELECT coalesce(bool_or(workgroup_running(c) + 1 >= c.max_running), false) INTO was_full
  FROM workgroup_chain(workgroup_name) c WHERE c.max_running IS NOT NULL;
  RETURN was_full;
END
$$;

-- Adds one lease to a workgroup and each ancestor (the acquire that takes it holds their rows already).
DROP FUNCTION workgroup_chain_add_running(text, integer);
CREATE FUNCTION workgroup_chain_lease(workgroup_name text) RETURNS void LANGUAGE sql AS $$
  UPDATE workgroup w SET leased = w.leased + 1 WHERE w.name IN (SELECT c.name FROM workgroup_chain(workgroup_name) c)
$$;

CREATE OR REPLACE FUNCTION task_count_running() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := TG_OP <> 'INSERT' AND OLD.state = 'running' AND OLD.throttled;
  counts boolean := TG_OP <> 'DELETE' AND NEW.state = 'running' AND NEW.throttled;
BEGIN
  IF was AND OLD.workgroup IS NOT NULL AND NOT (counts AND NEW.workgroup IS NOT DISTINCT FROM OLD.workgroup) THEN
    IF workgroup_chain_free(OLD.workgroup) THEN
      PERFORM pg_notify('crew_ready', coalesce(OLD.channel, ''));
    END IF;
  END IF;
  IF counts AND NEW.workgroup IS NOT NULL AND NOT (was AND NEW.workgroup IS NOT DISTINCT FROM OLD.workgroup) THEN
    PERFORM workgroup_chain_lease(NEW.workgroup);
  END IF;
  RETURN NULL;
END
$$;

-- A bucket's units at a given time (the acquire's spend is marked at its own instant, not the statement's start);
-- workgroup_units_left reads it at now().
CREATE FUNCTION workgroup_units_left_at(w workgroup, at timestamptz) RETURNS double precision
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN w.units_at > at THEN w.units
              WHEN w.rate_limit IS NULL THEN NULL
              WHEN w.units IS NULL THEN coalesce(w.rate_burst, w.rate_limit)
              ELSE least(coalesce(w.rate_burst, w.rate_limit),
                         w.units + extract(epoch FROM at - w.units_at) * w.rate_limit / w.rate_period_seconds)
         END
$$;

CREATE OR REPLACE FUNCTION workgroup_units_left(w workgroup) RETURNS double precision LANGUAGE sql STABLE AS $$
  SELECT workgroup_units_left_at(w, now())
$$;

-- V24's reasons, with the running count read through workgroup_running.
CREATE OR REPLACE FUNCTION task_waiting_for(t task) RETURNS text LANGUAGE sql STABLE AS $$
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
