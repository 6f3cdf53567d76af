-- Tasks per channel and state, and the age of the oldest acquirable task per channel, in one pass over the table
-- (the metrics job, every CREW_METRICS_INTERVAL per replica; see docs/operations.md for its cost).
SELECT coalesce(channel, '') AS channel, state::text AS state, count(*) AS tasks,
       coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE state = 'ready' AND NOT is_paused)), 0)
         AS oldest_ready_seconds
FROM task
GROUP BY 1, 2
