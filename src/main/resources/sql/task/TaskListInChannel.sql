-- A channel's tasks across all groups, newest first. The channel's index holds all but its running tasks, which
-- come from the index of running tasks (there are as many as leases); the page is cut from both together. One
-- row per task (see TaskGetMany).
SELECT d.document
FROM (
  SELECT * FROM (
    (SELECT * FROM task WHERE channel = :channel AND state <> 'running'
     ORDER BY created_at DESC, seq DESC LIMIT :limit + :skip)
    UNION ALL
    SELECT * FROM task WHERE channel = :channel AND state = 'running'
  ) page
  ORDER BY created_at DESC, seq DESC LIMIT :limit OFFSET :skip
) t
CROSS JOIN LATERAL task_text(t) d
ORDER BY t.created_at DESC, t.seq DESC
