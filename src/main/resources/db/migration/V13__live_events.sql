-- Live events (GET /api/v1/events): changes of tasks, groups and workgroups are announced on the channel
-- 'crew_events', from whichever replica made them, to the replicas that stream them to clients.
--
-- Nothing is announced while no client is connected anywhere: each replica with at least one stream open keeps a
-- row here (refreshed every few seconds, expiring on its own when the replica dies), and the triggers return at
-- once when none is current. The triggers are per statement, not per row: a group-committed acquire or release
-- of a hundred tasks pays one check, and sends one notification per group of at most 200 tasks when someone
-- listens. Notifications carry ids only (a payload is limited to 8000 bytes); the replica that streams them reads
-- the documents. UNLOGGED: presence is soft state, never worth a WAL record.
CREATE UNLOGGED TABLE event_listener (
  instance_id text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);

CREATE FUNCTION crew_events_wanted() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now())
$$;

-- One notification per (group, chunk of ids): {"event": ..., "group": ..., "ids": [...]}.
CREATE FUNCTION task_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT crew_events_wanted() THEN
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
  ELSE
    PERFORM pg_notify('crew_events', json_build_object(
              'event', CASE TG_OP WHEN 'INSERT' THEN 'task:create' ELSE 'task:update' END,
              'group', c.group_id, 'ids', c.ids)::text)
    FROM (SELECT group_id, json_agg(id ORDER BY seq) AS ids
          FROM (SELECT n.id, n.group_id, n.seq, (row_number() OVER (PARTITION BY n.group_id ORDER BY n.seq) - 1) / 200
                         AS chunk
                FROM new_rows n) x
          GROUP BY group_id, chunk) c;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_events_insert AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_events_announce();
CREATE TRIGGER task_events_update AFTER UPDATE ON task REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_events_announce();
CREATE TRIGGER task_events_delete AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_events_announce();

-- Groups change one at a time (create, rename, pause, delete): a row trigger.
CREATE FUNCTION task_group_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT crew_events_wanted() THEN
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

CREATE TRIGGER task_group_events AFTER INSERT OR UPDATE OR DELETE ON task_group
  FOR EACH ROW EXECUTE FUNCTION task_group_events_announce();

-- A workgroup pause set or ended (a rate-limited release, or an operator): Crew's workgroup:delay.
CREATE FUNCTION workgroup_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF crew_events_wanted() THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'workgroup:delay',
              'data', json_build_object('workgroup', left(NEW.name, 200),
                                        'update', json_build_object('runAfter', crew_time(NEW.paused_until))))::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER workgroup_events_insert AFTER INSERT ON workgroup
  FOR EACH ROW EXECUTE FUNCTION workgroup_events_announce();
CREATE TRIGGER workgroup_events_update AFTER UPDATE OF paused_until ON workgroup
  FOR EACH ROW WHEN (NEW.paused_until IS DISTINCT FROM OLD.paused_until) EXECUTE FUNCTION workgroup_events_announce();
