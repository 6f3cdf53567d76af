-- Workgroups with a cap or a budget: leases running now, units left (NaN: no budget), and their ready or scheduled
-- tasks held now, by what holds them (a pause, a full cap, an empty budget of the workgroup or an ancestor).
SELECT w.name, workgroup_running(w) AS running, coalesce(workgroup_units_left(w), 'NaN') AS units_left,
       CASE WHEN h.paused THEN 'paused' WHEN h.capped THEN 'cap' WHEN h.spent THEN 'budget' END AS held_by,
       (SELECT count(*) FROM task t
        WHERE t.workgroup = w.name
          AND (h.paused AND t.state = 'scheduled' OR (h.capped OR h.spent) AND t.state = 'ready' AND t.throttled)) AS held
FROM workgroup w
CROSS JOIN LATERAL (
  SELECT coalesce(bool_or(c.paused_until > now()), false) AS paused,
         coalesce(bool_or(workgroup_running(c) >= c.max_running), false) AS capped,
         coalesce(bool_or(workgroup_units_left(c) < 1), false) AS spent
  FROM workgroup_chain(w.name) c) h
WHERE w.max_running IS NOT NULL OR w.rate_limit IS NOT NULL
