-- Workgroups (paused ones and those of unfinished tasks) with their pause and unfinished tasks per state.
SELECT coalesce(json_agg(json_build_object(
         'name', n.name,
         'isPaused', coalesce(w.paused_until > now(), false),
         'pausedUntil', crew_time(CASE WHEN w.paused_until > now() THEN w.paused_until END),
         'reason', w.reason,
         'taskCounts', coalesce((SELECT json_object_agg(s.state, s.n)
                                 FROM (SELECT state, count(*) AS n FROM task
                                       WHERE workgroup = n.name AND state <> 'complete' GROUP BY state) s),
                                '{}'::json))
         ORDER BY n.name), '[]'::json)
FROM (SELECT name FROM workgroup
      UNION SELECT DISTINCT workgroup FROM task WHERE workgroup IS NOT NULL AND state <> 'complete') n
LEFT JOIN workgroup w ON w.name = n.name
WHERE CAST(:name AS text) IS NULL OR n.name = :name
