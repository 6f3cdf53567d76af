-- Long-poll wake-ups: every transaction that makes a task of a channel acquirable notifies 'crew_ready' with the
-- channel as payload, delivered at commit. PostgreSQL folds identical notifications of one transaction into one,
-- so a bulk insert of 10,000 tasks of a channel wakes its waiters once. Correctness never depends on this:
-- waiters also re-check periodically.
CREATE FUNCTION task_notify_ready() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crew_ready', coalesce(NEW.channel, ''));
  RETURN NULL;
END
$$;

CREATE TRIGGER task_ready_notify_insert
  AFTER INSERT ON task
  FOR EACH ROW WHEN (NEW.state = 'ready' AND NOT NEW.is_paused)
  EXECUTE FUNCTION task_notify_ready();

CREATE TRIGGER task_ready_notify_update
  AFTER UPDATE OF state, is_paused ON task
  FOR EACH ROW WHEN (NEW.state = 'ready' AND NOT NEW.is_paused
                     AND (OLD.state IS DISTINCT FROM 'ready' OR OLD.is_paused))
  EXECUTE FUNCTION task_notify_ready();
