-- Sets a workgroup's limits (PUT /workgroup/:name): :set<Part> says whether the part was sent (null removes it).
-- A new budget starts full. The row is created when the workgroup had none.
-- A cap may be full once its limits change, and a new parent's chain counts this workgroup's leases from now on:
-- their cap_reached (V34) is set, so that the next end of a lease below them wakes the channel's acquirers.
WITH new_ancestors AS (
  UPDATE workgroup a SET cap_reached = true
  WHERE CAST(:setParent AS boolean) AND a.max_running IS NOT NULL
    AND a.name IN (SELECT c.name FROM workgroup_chain(CAST(:parent AS text)) c)
)
INSERT INTO workgroup AS w (name, max_running, rate_limit, rate_period_seconds, rate_burst, parent, cap_reached,
                            updated_at)
VALUES (:name, :maxRunning, :rateLimit, :ratePeriodSeconds, :rateBurst, :parent, true, now())
ON CONFLICT (name) DO UPDATE SET
  cap_reached = true,
  max_running = CASE WHEN :setMaxRunning THEN excluded.max_running ELSE w.max_running END,
  rate_limit = CASE WHEN :setRate THEN excluded.rate_limit ELSE w.rate_limit END,
  rate_period_seconds = CASE WHEN :setRate THEN excluded.rate_period_seconds ELSE w.rate_period_seconds END,
  rate_burst = CASE WHEN :setRate THEN excluded.rate_burst ELSE w.rate_burst END,
  units = CASE WHEN :setRate THEN NULL ELSE w.units END,
  units_at = CASE WHEN :setRate THEN NULL ELSE w.units_at END,
  parent = CASE WHEN :setParent THEN excluded.parent ELSE w.parent END,
  updated_at = now()
