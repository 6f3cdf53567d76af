-- Reporting: stable views over task, task_group and the attempt ledger, documented in docs/reporting.md. Their
-- names and columns are an interface: later migrations may add columns at the end, never rename or drop one.
-- Nothing on the hot path reads them.

-- Every change of a workgroup's pause, appended by a trigger: the workgroup row holds only the current pause.
-- Pauses are rare (a rate-limit answer, an operator's action), so the trigger costs nothing that matters.
CREATE TABLE workgroup_pause_event (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workgroup    text        NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  paused_until timestamptz,          -- NULL: resumed
  reason       text
);
CREATE INDEX workgroup_pause_event_idx ON workgroup_pause_event (workgroup, changed_at, id);

CREATE FUNCTION workgroup_record_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO workgroup_pause_event (workgroup, paused_until, reason) VALUES (NEW.name, NEW.paused_until, NEW.reason);
  RETURN NULL;
END
$$;

CREATE TRIGGER workgroup_pause_insert AFTER INSERT ON workgroup
  FOR EACH ROW WHEN (NEW.paused_until IS NOT NULL) EXECUTE FUNCTION workgroup_record_pause();
CREATE TRIGGER workgroup_pause_update AFTER UPDATE OF paused_until ON workgroup
  FOR EACH ROW WHEN (NEW.paused_until IS DISTINCT FROM OLD.paused_until) EXECUTE FUNCTION workgroup_record_pause();

-- One row per task: how long it waited for its first lease, how long its successful attempt ran, how many
-- attempts it took. Filter it by created_at or completed_at before aggregating over large tables.
CREATE VIEW report_task_timing AS
SELECT t.id AS task_id, t.group_id, t.channel, t.name, t.state::text AS state, t.created_at,
       first.acquired_at AS first_acquired_at, t.completed_at,
       extract(epoch FROM first.acquired_at - t.created_at) AS wait_seconds,
       extract(epoch FROM ok.finished_at - ok.acquired_at) AS run_seconds,
       extract(epoch FROM t.completed_at - t.created_at) AS total_seconds,
       t.attempt AS attempts
FROM task t
LEFT JOIN LATERAL (SELECT min(a.acquired_at) AS acquired_at FROM finished_attempt a
                   WHERE a.task_id = t.id AND a.outcome <> 'merged') f ON true
LEFT JOIN LATERAL (SELECT coalesce(f.acquired_at, CASE WHEN t.state = 'running' THEN t.assigned_at END)
                     AS acquired_at) first ON true
LEFT JOIN LATERAL (SELECT a.acquired_at, a.finished_at FROM finished_attempt a
                   WHERE a.task_id = t.id AND a.outcome = 'completed' ORDER BY a.attempt DESC LIMIT 1) ok ON true;

-- Per channel: counts and wait and run time percentiles of the tasks that ran, over all tasks still stored.
CREATE VIEW report_channel_durations AS
SELECT channel,
       count(*)::int AS tasks,
       count(*) FILTER (WHERE state = 'complete')::int AS completed,
       count(*) FILTER (WHERE state = 'failed')::int AS failed,
       avg(wait_seconds) AS wait_avg_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds) AS wait_p50_seconds,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_seconds) AS wait_p95_seconds,
       avg(run_seconds) AS run_avg_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY run_seconds) AS run_p50_seconds,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY run_seconds) AS run_p95_seconds,
       max(run_seconds) AS run_max_seconds,
       avg(attempts) FILTER (WHERE state = 'complete') AS attempts_avg
FROM report_task_timing
GROUP BY channel;

-- Finished attempts per hour (of their end) and channel, by outcome.
CREATE VIEW report_throughput_hourly AS
SELECT date_trunc('hour', a.finished_at) AS hour, t.channel,
       count(*) FILTER (WHERE a.outcome = 'completed')::int AS completed,
       count(*) FILTER (WHERE a.outcome = 'merged')::int AS merged,
       count(*) FILTER (WHERE a.outcome = 'failed')::int AS failed,
       count(*) FILTER (WHERE a.outcome = 'abandoned')::int AS abandoned,
       count(*) FILTER (WHERE a.outcome = 'reset')::int AS reset
FROM finished_attempt a JOIN task t ON t.id = a.task_id
GROUP BY 1, 2;

-- Attempts that failed (the worker released an error) or were abandoned (the lease expired), with their error
-- and what became of the task.
CREATE VIEW report_failures AS
SELECT a.finished_at, t.channel, t.group_id, a.task_id, t.name, a.attempt, a.worker_id, a.outcome::text AS outcome,
       a.error, a.acquired_at, t.state::text AS task_state, t.remaining_attempts
FROM finished_attempt a JOIN task t ON t.id = a.task_id
WHERE a.outcome IN ('failed', 'abandoned');

-- Each group's tasks per state and weighted progress (the API's progress: weights of complete tasks over all).
CREATE VIEW report_group_progress AS
SELECT g.id AS group_id, g.name, g.is_paused, g.created_at,
       count(t.id)::int AS total_tasks,
       count(t.id) FILTER (WHERE t.state = 'complete')::int AS complete_tasks,
       count(t.id) FILTER (WHERE t.state = 'running')::int AS running_tasks,
       count(t.id) FILTER (WHERE t.state IN ('ready', 'scheduled'))::int AS pending_tasks,
       count(t.id) FILTER (WHERE t.state = 'waiting')::int AS waiting_tasks,
       count(t.id) FILTER (WHERE t.state = 'failed')::int AS failed_tasks,
       count(t.id) FILTER (WHERE t.state = 'blocked')::int AS blocked_tasks,
       CASE WHEN coalesce(sum(t.progress_weight), 0) = 0
              THEN CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN 1.0 ELSE 0.0 END
            ELSE coalesce(sum(t.progress_weight) FILTER (WHERE t.state = 'complete'), 0) / sum(t.progress_weight)
       END AS progress,
       CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN max(t.completed_at) END AS completed_at
FROM task_group g LEFT JOIN task t ON t.group_id = g.id
GROUP BY g.id;

-- Workgroup pauses: when each began, until when it was set, when it actually ended (its end, an earlier resume
-- or a change of its end), and why. ended_at is NULL while it lasts.
CREATE VIEW report_workgroup_pauses AS
SELECT e.workgroup, e.changed_at AS paused_at, e.paused_until, e.reason,
       CASE WHEN least(e.paused_until, n.changed_at) <= now() THEN least(e.paused_until, n.changed_at) END AS ended_at,
       extract(epoch FROM least(e.paused_until, n.changed_at, now()) - e.changed_at) AS paused_seconds
FROM workgroup_pause_event e
LEFT JOIN LATERAL (SELECT x.changed_at FROM workgroup_pause_event x
                   WHERE x.workgroup = e.workgroup AND (x.changed_at, x.id) > (e.changed_at, e.id)
                   ORDER BY x.changed_at, x.id LIMIT 1) n ON true
WHERE e.paused_until > e.changed_at;
