-- After a channel's fairness changed: its unfinished tasks take the acquire path it now asks for.
UPDATE task t SET throttled = task_is_throttled(t.channel, t.workgroup)
WHERE t.channel = :channel AND t.state NOT IN ('complete', 'failed')
  AND t.throttled <> task_is_throttled(t.channel, t.workgroup)
