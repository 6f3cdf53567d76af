-- Workgroups (those with a row: paused, limited or named as a parent; and those of unfinished tasks) with their
-- pause, limits, live state and unfinished tasks per state, one row each in name order (:name: only that one).
-- held: its ready or scheduled tasks that cannot be acquired now because of this workgroup or an ancestor (a pause,
-- a full cap, an empty budget). Each workgroup's document is written by row_to_json, which is compact
-- (json_build_object, json_agg and json_object_agg put spaces between tokens); its counts an object written by
-- concatenation.
-- The names: with :name, that one if it is known, read by key; else every workgroup row and, by a skip scan of
-- task_workgroup_idx (one probe per workgroup), the workgroups of unfinished tasks. Their rows are read by key
-- (joined on the name alone, the generic plan hashes the whole table, also for one name). Each workgroup of their
-- chains has its running count and state worked out once (members): an app above thousands of accounts is
-- counted once, not once for each account whose chain it is in.
WITH RECURSIVE task_workgroups(name) AS (
  SELECT (SELECT min(t.workgroup) FROM task t WHERE t.workgroup IS NOT NULL AND t.state <> 'complete')
  WHERE CAST(:name AS text) IS NULL
  UNION ALL
  SELECT (SELECT min(t.workgroup) FROM task t WHERE t.workgroup > g.name AND t.state <> 'complete')
  FROM task_workgroups g WHERE g.name IS NOT NULL
), names AS (
  SELECT w.name FROM workgroup w WHERE CAST(:name AS text) IS NULL
  UNION
  SELECT g.name FROM task_workgroups g WHERE g.name IS NOT NULL
  UNION
  SELECT CAST(:name AS text)
  WHERE EXISTS (SELECT 1 FROM workgroup w WHERE w.name = :name)
     OR (SELECT min(t.workgroup) FROM task t WHERE t.workgroup >= :name AND t.state <> 'complete') = :name
), pairs AS MATERIALIZED (
  -- Each name and the workgroups of its chain (itself and its ancestors), read by key.
  SELECT n.name, c.name AS member FROM names n CROSS JOIN LATERAL workgroup_chain(n.name) c
), members AS MATERIALIZED (
  -- Each workgroup of the chains once: its running count, whether its cap or its budget is used up, its pause.
  SELECT m.name, m.running, m.running >= m.max_running OR workgroup_units_left(m.w) < 1 AS used_up,
         m.paused_until > now() AS paused
  FROM (SELECT w.name, w.max_running, w.paused_until, w, workgroup_running(w) AS running
        FROM workgroup w WHERE w.name = ANY (ARRAY(SELECT p.member FROM pairs p)) OFFSET 0) m
), chains AS (
  -- Whether a name's chain holds its tasks now: a cap or a budget used up (ready tasks), a pause (scheduled ones).
  SELECT p.name, coalesce(bool_or(m.used_up), false) AS blocked, coalesce(bool_or(m.paused), false) AS paused
  FROM pairs p JOIN members m ON m.name = p.member
  GROUP BY p.name
)
SELECT row_to_json(x)::text
FROM (
  SELECT n.name,
         coalesce(w.paused_until > now(), false) AS "isPaused",
         crew_time(CASE WHEN w.paused_until > now() THEN w.paused_until END) AS "pausedUntil",
         w.reason,
         w.parent,
         w.max_running AS "maxRunning",
         (SELECT row_to_json(r) FROM (SELECT w.rate_limit AS "limit", w.rate_period_seconds AS "periodSeconds",
                                             coalesce(w.rate_burst, w.rate_limit) AS burst) r
          WHERE w.rate_limit IS NOT NULL) AS rate,
         coalesce(m.running, 0) AS running,
         floor(workgroup_units_left(w)) AS "unitsLeft",
         crew_time(CASE WHEN w.units_at > now() THEN w.units_at END) AS "budgetResetAt",
         (SELECT count(*) FROM task t
          WHERE t.workgroup = n.name
            AND (t.state = 'scheduled' AND h.paused OR t.state = 'ready' AND t.throttled AND h.blocked)) AS held,
         (SELECT CAST('{' || coalesce(string_agg(to_json(s.state)::text || ':' || s.n, ','), '') || '}' AS json)
          FROM (SELECT state, count(*) AS n FROM task
                WHERE workgroup = n.name AND state <> 'complete' GROUP BY state) s) AS "taskCounts"
  FROM names n
  LEFT JOIN workgroup w ON w.name = n.name AND w.name = ANY (ARRAY(SELECT m.name FROM names m))
  LEFT JOIN members m ON m.name = n.name
  LEFT JOIN chains h ON h.name = n.name
) x
ORDER BY x.name
