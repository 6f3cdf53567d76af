-- Workgroups with a cap or a budget: leases running now, units left (NaN: no budget), and their ready or scheduled
-- tasks held now, by what holds them (a pause, a full cap, an empty budget of the workgroup or an ancestor).
-- Each workgroup of their chains has its running count and state worked out once (members): an app above
-- thousands of accounts is counted once, not once for each account whose chain it is in.
WITH limited AS MATERIALIZED (
  SELECT w.name FROM workgroup w WHERE w.max_running IS NOT NULL OR w.rate_limit IS NOT NULL
), pairs AS MATERIALIZED (
  -- Each limited workgroup and the workgroups of its chain (itself and its ancestors), read by key.
  SELECT l.name, c.name AS member FROM limited l CROSS JOIN LATERAL workgroup_chain(l.name) c
), members AS MATERIALIZED (
  SELECT m.name, m.running, m.paused_until > now() AS paused, m.running >= m.max_running AS capped,
         workgroup_units_left(m.w) AS units_left
  FROM (SELECT w.name, w.max_running, w.paused_until, w, workgroup_running(w) AS running
        FROM workgroup w WHERE w.name = ANY (ARRAY(SELECT p.member FROM pairs p)) OFFSET 0) m
), chains AS (
  SELECT p.name, coalesce(bool_or(m.paused), false) AS paused, coalesce(bool_or(m.capped), false) AS capped,
         coalesce(bool_or(m.units_left < 1), false) AS spent
  FROM pairs p JOIN members m ON m.name = p.member
  GROUP BY p.name
)
SELECT l.name, m.running, coalesce(m.units_left, 'NaN') AS units_left,
       CASE WHEN h.paused THEN 'paused' WHEN h.capped THEN 'cap' WHEN h.spent THEN 'budget' END AS held_by,
       (SELECT count(*) FROM task t
        WHERE t.workgroup = l.name
          AND (h.paused AND t.state = 'scheduled' OR (h.capped OR h.spent) AND t.state = 'ready' AND t.throttled)) AS held
FROM limited l
JOIN members m ON m.name = l.name
JOIN chains h ON h.name = l.name
