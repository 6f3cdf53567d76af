-- A task's execution ledger, oldest attempt first. Each attempt is a row written by row_to_json, which is compact
-- (json_build_object and json_agg put spaces between tokens).
SELECT '[' || coalesce(string_agg(row_to_json(a)::text, ',' ORDER BY a.attempt), '') || ']'
FROM (SELECT attempt, worker_id AS "workerId", crew_time(acquired_at) AS "acquiredAt",
             crew_time(finished_at) AS "finishedAt", outcome, error
      FROM task_attempt WHERE task_id = :id) a
