-- Extends the lease of a task still held by this worker (and attempt, when given), from the database clock; an
-- attempt past its deadline (timeoutSeconds) is not extended: the reclaimer ends it as timed out.
-- A lease holder implies state = 'running' (CHECK task_consistent); naming the state would let the planner
-- read the partial index of running tasks from end to end instead of probing the primary key.
UPDATE task t SET
  lease_expires_at = now() + make_interval(secs => coalesce(:leaseSeconds, t.lease_seconds, :defaultLeaseSeconds))
WHERE t.id = :id AND t.assigned_to = :workerId
  AND (CAST(:attempt AS integer) IS NULL OR t.attempt = :attempt)
  AND (t.deadline_at IS NULL OR t.deadline_at > now())
RETURNING (SELECT d.document FROM task_text(t) d)
