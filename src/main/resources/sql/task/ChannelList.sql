-- Every channel with its counts, in one pass over the task table.
SELECT coalesce(json_agg(json_build_object(
         'name', channel, 'totalCount', total, 'completedCount', completed, 'assignedCount', assigned)
         ORDER BY channel NULLS FIRST), '[]'::json)
FROM (SELECT channel,
             count(*) AS total,
             count(*) FILTER (WHERE state = 'complete') AS completed,
             count(*) FILTER (WHERE state = 'running') AS assigned
      FROM task GROUP BY channel) c
