-- Workgroups (paused ones and those of unfinished tasks) with their pause and unfinished tasks per state, one row
-- each in name order (:name: only that one). Each workgroup's document is written by row_to_json, which is compact
-- (json_build_object, json_agg and json_object_agg put spaces between tokens); its counts an object written by
-- concatenation.
SELECT row_to_json(x)::text
FROM (
  SELECT n.name,
         coalesce(w.paused_until > now(), false) AS "isPaused",
         crew_time(CASE WHEN w.paused_until > now() THEN w.paused_until END) AS "pausedUntil",
         w.reason,
         (SELECT CAST('{' || coalesce(string_agg(to_json(s.state)::text || ':' || s.n, ','), '') || '}' AS json)
          FROM (SELECT state, count(*) AS n FROM task
                WHERE workgroup = n.name AND state <> 'complete' GROUP BY state) s) AS "taskCounts"
  FROM (SELECT name FROM workgroup
        UNION SELECT DISTINCT workgroup FROM task WHERE workgroup IS NOT NULL AND state <> 'complete') n
  LEFT JOIN workgroup w ON w.name = n.name
  WHERE CAST(:name AS text) IS NULL OR n.name = :name
) x
ORDER BY x.name
