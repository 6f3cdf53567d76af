-- Why a worker no longer holds a task, for the 409 that answers its heartbeat or release: 'timed_out' while its
-- attempt is past its deadline and not yet ended by the reclaimer, else the outcome of its latest ended attempt of
-- the task ('cancelled', 'timed_out', 'abandoned', 'reset', ...), else nothing. Not a hot path: refusals only.
SELECT coalesce(
  (SELECT CAST('timed_out' AS text) FROM task t
   WHERE t.id = :id AND t.assigned_to = :workerId AND t.deadline_at <= now()),
  (SELECT CAST(a.outcome AS text) FROM finished_attempt a
   WHERE a.task_id = :id AND a.worker_id = :workerId AND (CAST(:attempt AS integer) IS NULL OR a.attempt = :attempt)
   ORDER BY a.attempt DESC LIMIT 1))
