-- A task's execution ledger, oldest attempt first.
SELECT coalesce(json_agg(json_build_object(
         'attempt', a.attempt, 'workerId', a.worker_id, 'acquiredAt', crew_time(a.acquired_at),
         'finishedAt', crew_time(a.finished_at), 'outcome', a.outcome, 'error', a.error)
         ORDER BY a.attempt), '[]'::json)
FROM task_attempt a WHERE a.task_id = :id
