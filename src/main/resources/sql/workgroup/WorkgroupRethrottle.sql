-- After the limits of a workgroup or its ancestors changed: its unfinished tasks, and those of every workgroup below
-- it, take the acquire path (plain or throttled) that the limits now ask for. A running task that changes path is
-- counted in, or out of, its chain's running count by the tasks it counts (V32): nothing to write here.
WITH RECURSIVE below(name) AS (
  SELECT CAST(:name AS text)
  UNION
  SELECT w.name FROM workgroup w JOIN below b ON w.parent = b.name
)
UPDATE task t SET throttled = task_is_throttled(t.channel, t.workgroup)
WHERE t.workgroup = ANY(ARRAY(SELECT name FROM below)) AND t.state NOT IN ('complete', 'failed')
  AND t.throttled <> task_is_throttled(t.channel, t.workgroup)
