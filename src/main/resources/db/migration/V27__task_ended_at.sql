-- When a task last ended without completing (failed for good or cancelled), for the view of failed work across
-- groups (GET /api/v1/tasks?state=failed...). Written by a trigger, so that every statement that fails or cancels a
-- task records it without saying so; its WHEN clause is evaluated without calling the function, so an update that
-- does not end a task (an acquire, a completion) pays almost nothing. A revived task keeps its old value until it
-- ends again: readers look at it only for tasks in those two states.
ALTER TABLE task ADD COLUMN ended_at timestamptz;

CREATE FUNCTION task_record_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.ended_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER task_ended BEFORE UPDATE OF state ON task
  FOR EACH ROW WHEN (NEW.state IN ('failed', 'cancelled') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION task_record_end();

-- Tasks that failed before: the end of their last attempt, else their creation.
UPDATE task t SET ended_at = coalesce((SELECT max(a.finished_at) FROM finished_attempt a WHERE a.task_id = t.id),
                                      t.created_at)
WHERE t.state IN ('failed', 'cancelled');

-- The failed and the cancelled tasks, most recently ended first: a page of them is one ordered index read.
CREATE INDEX task_ended_idx ON task (state, ended_at DESC, seq DESC) WHERE state IN ('failed', 'cancelled');
