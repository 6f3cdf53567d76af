-- The event triggers' check "does anyone listen?" written into each trigger function rather than called as the
-- SQL function crew_events_wanted(): PL/pgSQL keeps the plan of a query it runs for the whole session, while a
-- SQL function called from it is parsed and planned again in every transaction. The check is what every
-- statement on task pays when nobody listens; measured with bench/EventsOverhead.java (docs/benchmarks.md).

CREATE OR REPLACE FUNCTION task_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION task_group_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION workgroup_events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now()) THEN
    PERFORM pg_notify('crew_events', json_build_object('event', 'workgroup:delay',
              'data', json_build_object('workgroup', left(NEW.name, 200),
                                        'update', json_build_object('runAfter', crew_time(NEW.paused_until))))::text);
  END IF;
  RETURN NULL;
END
$$;

DROP FUNCTION crew_events_wanted();
