-- The channels that have a ready task, for virtual operators (CREW_VIRTUAL_OPERATOR_BASE_URL). A skip scan of the
-- ready index: one index probe per channel, however many tasks wait in each.
WITH RECURSIVE channels AS (
  (SELECT channel FROM task WHERE state = 'ready' AND NOT is_paused AND channel IS NOT NULL
   ORDER BY channel LIMIT 1)
  UNION ALL
  SELECT (SELECT t.channel FROM task t
          WHERE t.state = 'ready' AND NOT t.is_paused AND t.channel > c.channel
          ORDER BY t.channel LIMIT 1)
  FROM channels c
  WHERE c.channel IS NOT NULL
)
SELECT channel FROM channels WHERE channel IS NOT NULL
