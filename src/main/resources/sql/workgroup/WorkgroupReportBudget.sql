-- A release reported the API's own view of the workgroup's budget: :remaining units until :resetInSeconds from now.
-- The bucket is lowered to it (never raised) and does not refill before the reset. Only a workgroup whose tasks are
-- throttled has a bucket that acquire reads; returns whether it is one (the caller pauses the others when nothing
-- is left).
UPDATE workgroup w SET
  units = least(coalesce(workgroup_units_left(w), :remaining), :remaining),
  units_at = now() + make_interval(secs => :resetInSeconds),
  updated_at = now()
WHERE w.name = :name
  AND EXISTS (SELECT 1 FROM workgroup_chain(:name) c WHERE c.max_running IS NOT NULL OR c.rate_limit IS NOT NULL)
RETURNING true
