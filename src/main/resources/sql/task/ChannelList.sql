-- Every channel with its counts, in one pass over the task table; each channel a row written by row_to_json,
-- which is compact (json_build_object and json_agg put spaces between tokens).
SELECT '[' || coalesce(string_agg(row_to_json(c)::text, ',' ORDER BY c.name NULLS FIRST), '') || ']'
FROM (SELECT channel AS name,
             count(*) AS "totalCount",
             count(*) FILTER (WHERE state = 'complete') AS "completedCount",
             count(*) FILTER (WHERE state = 'running') AS "assignedCount"
      FROM task GROUP BY channel) c
