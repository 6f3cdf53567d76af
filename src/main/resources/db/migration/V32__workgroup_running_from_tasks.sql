-- A workgroup's running count is read from the tasks themselves, and the end of a lease writes nothing.
--
-- V23 counted leases on the workgroup's row (a trigger on every start and end of a throttled lease), V31 moved the
-- ends to shards of their own. Both paid a write and a function call per lease start (a second update of the row
-- the acquire had just locked and updated) and per lease end, more than the acquire statement itself.
--
-- Now: running = the throttled tasks of the workgroup and its descendants in state 'running', counted in the
-- partial index below (as many entries as leases). The row keeps 'leased', leases taken so far, which only the
-- acquire statement writes (in the update that spends its units: one write per workgroup and acquire), so that an
-- acquire, once it holds the row, also counts the leases committed since its snapshot:
--   running now <= running in the snapshot + (leased after the lock - leased in the snapshot).
-- Lease ends committed since the snapshot are not seen yet: their slots count as taken, the safe side of the cap.
-- The rare ways a task joins a chain's running leases without an acquire (its workgroup changed, or its limits made
-- it throttled, while it runs) add to 'leased' by trigger, so that the formula above still sees them.

DROP TRIGGER task_running_count_update ON task;
DROP TRIGGER task_running_count_delete ON task;
DROP FUNCTION task_count_running();
DROP FUNCTION workgroup_chain_free(text);
DROP FUNCTION workgroup_chain_lease(text);
DROP TABLE workgroup_freed;

COMMENT ON COLUMN workgroup.leased IS
  'Leases of throttled tasks of this workgroup and its descendants taken so far (acquire''s own count, V32)';

CREATE INDEX task_running_throttled_idx ON task (workgroup) WHERE state = 'running' AND throttled;
CREATE INDEX workgroup_parent_idx ON workgroup (parent) WHERE parent IS NOT NULL;

-- A workgroup and its descendants (the workgroups whose tasks count against it).
CREATE FUNCTION workgroup_below(workgroup_name text) RETURNS SETOF text LANGUAGE sql STABLE AS $$
  WITH RECURSIVE below AS (
    SELECT workgroup_name AS name, 0 AS depth
    UNION ALL
    SELECT w.name, b.depth + 1 FROM below b JOIN workgroup w ON w.parent = b.name WHERE b.depth < 16
  )
  SELECT b.name FROM below b
$$;

-- Leases of throttled tasks of a workgroup and its descendants that are running now. PL/pgSQL: its statements'
-- plans are kept for the session, where a SQL function's would be made again in every statement that calls it (a
-- task document's waitingFor calls it once per task).
CREATE OR REPLACE FUNCTION workgroup_running(w workgroup) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM workgroup b WHERE b.parent = w.name) THEN
    RETURN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name);
  END IF;
  RETURN (SELECT count(*) FROM task t
          WHERE t.state = 'running' AND t.throttled AND t.workgroup IN (SELECT workgroup_below(w.name)));
END
$$;

-- A lease of a throttled task ended (or left the chain): if a cap of the chain was full, the channel's waiting
-- acquires look again. PL/pgSQL keeps its statements' plans for the session: this runs once per lease end.
CREATE FUNCTION task_lease_ended() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current text := OLD.workgroup;
  member workgroup;
  depth integer := 0;
BEGIN
  WHILE current IS NOT NULL AND depth <= 16 LOOP
    SELECT * INTO member FROM workgroup w WHERE w.name = current;
    IF member.max_running IS NOT NULL AND workgroup_running(member) + 1 >= member.max_running THEN
      PERFORM pg_notify('crew_ready', coalesce(OLD.channel, ''));
      RETURN NULL;
    END IF;
    current := member.parent;
    depth := depth + 1;
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_lease_ended_update
  AFTER UPDATE OF state, throttled, workgroup ON task
  FOR EACH ROW WHEN (OLD.state = 'running' AND OLD.throttled AND OLD.workgroup IS NOT NULL
                     AND (NEW.state <> 'running' OR NOT NEW.throttled
                          OR NEW.workgroup IS DISTINCT FROM OLD.workgroup))
  EXECUTE FUNCTION task_lease_ended();

CREATE TRIGGER task_lease_ended_delete
  AFTER DELETE ON task
  FOR EACH ROW WHEN (OLD.state = 'running' AND OLD.throttled AND OLD.workgroup IS NOT NULL)
  EXECUTE FUNCTION task_lease_ended();

-- A running task joined a chain's leases without an acquire: counted in 'leased' of the chain.
CREATE FUNCTION task_lease_joined() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE workgroup w SET leased = w.leased + 1
  WHERE w.name IN (SELECT c.name FROM workgroup_chain(NEW.workgroup) c);
  RETURN NULL;
END
$$;

CREATE TRIGGER task_lease_joined
  AFTER UPDATE OF state, throttled, workgroup ON task
  FOR EACH ROW WHEN (OLD.state = 'running' AND NEW.state = 'running' AND NEW.throttled
                     AND NEW.workgroup IS NOT NULL
                     AND (NOT OLD.throttled OR OLD.workgroup IS DISTINCT FROM NEW.workgroup))
  EXECUTE FUNCTION task_lease_joined();
