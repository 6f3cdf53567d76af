-- A lease's assigned_at is taken when its tasks are chosen, after any wait for a workgroup's row (V23), so it is
-- no longer the transaction's now(): a 'task:key' notice names the keyed tasks that this statement leased by an
-- assigned_at at or after the statement's start (an acquire is a statement of its own). The rest is V19's.
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
