-- The end of a throttled lease counts nothing, and a workgroup's running count calls no SQL function that
-- PostgreSQL plans again in every transaction.
--
-- V32's lease end walked the chain one query per workgroup and counted each capped one's running leases, to wake the
-- channel's waiting acquirers when a cap had been full. workgroup_running called workgroup_has_children, a SQL
-- function PostgreSQL cannot inline (its body is a sub-select): it keeps its plan in the calling expression's state,
-- and a PL/pgSQL function's simple expressions get a fresh state in every transaction, so each release planned it
-- again, for every workgroup of the chain; an app's count also planned workgroup_below again (called in a select
-- list, not in FROM). In all, about 0.1 ms of PostgreSQL's time per release of a throttled task, and 0.3-0.5 ms for
-- an account under an app, where the release itself takes about 0.6.
--
-- Now the acquire that takes a cap's last slot says so on the workgroup's row (cap_reached), in the write it makes
-- anyway (leases and units); the next acquire that leases in the workgroup sets it again from its own count. The end
-- of a lease reads the flags of its chain, by key, in one query whose plan PL/pgSQL keeps for the session. The flag
-- never says "room" when the cap is full: the acquire's count never counts too few (V32), and whatever else can fill
-- a cap sets it (a change of limits or of parent, a running task joining the chain). It may say "full" when the cap
-- has room since (a lease ended after the acquire's snapshot): a wake-up for nothing, as before.

ALTER TABLE workgroup ADD COLUMN cap_reached boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN workgroup.cap_reached IS
  'Whether the last acquire to lease in this workgroup (or a change that may fill its cap) left its cap full (V34)';
UPDATE workgroup SET cap_reached = true WHERE max_running IS NOT NULL;

-- A lease of a throttled task ended (or left the chain): if a cap of the chain was full, the channel's waiting
-- acquires look again.
CREATE OR REPLACE FUNCTION task_lease_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crew_ready', coalesce(OLD.channel, ''))
  FROM (SELECT 1 FROM workgroup_chain(OLD.workgroup) w WHERE w.max_running IS NOT NULL AND w.cap_reached LIMIT 1) f;
  RETURN NULL;
END
$$;

-- A running task joined a chain's leases without an acquire: counted in 'leased' of the chain, whose caps may be full.
CREATE OR REPLACE FUNCTION task_lease_joined() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE workgroup w SET leased = w.leased + 1, cap_reached = w.max_running IS NOT NULL
  WHERE w.name IN (SELECT c.name FROM workgroup_chain(NEW.workgroup) c);
  RETURN NULL;
END
$$;

-- The running count (acquire's chains, the task document's waitingFor, the workgroup list): its statements name no
-- function but workgroup_below, in FROM, where it is inlined.
CREATE OR REPLACE FUNCTION workgroup_running(w workgroup) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF (SELECT min(b.parent) FROM workgroup b WHERE b.parent >= w.name) IS DISTINCT FROM w.name THEN
    RETURN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name);
  END IF;
  RETURN (SELECT count(*) FROM task t
          WHERE t.state = 'running' AND t.throttled
            AND t.workgroup IN (SELECT b.name FROM workgroup_below(w.name) AS b(name)));
END
$$;

DROP FUNCTION workgroup_has_children(text);
