-- childrenDelayInSeconds: the existing children of a completing task run no sooner than now + delay.
UPDATE task t SET run_after = now() + make_interval(secs => :seconds)
FROM task_edge e
WHERE e.parent_id = :id AND e.child_id = t.id AND t.state IN ('waiting', 'blocked')
  AND (t.run_after IS NULL OR t.run_after < now() + make_interval(secs => :seconds))
