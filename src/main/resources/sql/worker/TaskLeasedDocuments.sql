-- The {task, parents} documents of tasks that TaskAcquire.sql has just leased, one (id, document) row per lease,
-- for a large acquire: read after the lease committed, because acquires of a channel run one at a time (see
-- Combiner) and building documents is a good part of their cost, which the channel's next acquire does not wait
-- for this way. A task that is no longer leased to that worker and attempt (reset, retried or deleted in between)
-- has no row, so it is not handed out. The document is task_lease_document's.
-- Every task row is reached by a probe of its primary key from a LATERAL sub-select that OFFSET 0 keeps whole:
-- the planner cannot turn it into a hash join over a scan of the table, which it prefers for small tables when
-- it guesses the size of the input (see json_elements). PlanStabilityTest checks the plan at every table size.
WITH lease AS (
  SELECT l.* FROM json_elements(CAST(:leases AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS l(id text, worker_id text, attempt integer)
)
SELECT l.id, d.document
FROM lease l
CROSS JOIN LATERAL (
  SELECT t FROM task t WHERE t.id = l.id AND t.assigned_to = l.worker_id AND t.attempt = l.attempt OFFSET 0
) leased
CROSS JOIN LATERAL task_lease_document(leased.t) d
