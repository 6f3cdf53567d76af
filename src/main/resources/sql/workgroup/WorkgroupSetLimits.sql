-- Sets a workgroup's limits (PUT /workgroup/:name): :set<Part> says whether the part was sent (null removes it).
-- A new budget starts full. The row is created when the workgroup had none.
INSERT INTO workgroup AS w (name, max_running, rate_limit, rate_period_seconds, rate_burst, parent, updated_at)
VALUES (:name, :maxRunning, :rateLimit, :ratePeriodSeconds, :rateBurst, :parent, now())
ON CONFLICT (name) DO UPDATE SET
  max_running = CASE WHEN :setMaxRunning THEN excluded.max_running ELSE w.max_running END,
  rate_limit = CASE WHEN :setRate THEN excluded.rate_limit ELSE w.rate_limit END,
  rate_period_seconds = CASE WHEN :setRate THEN excluded.rate_period_seconds ELSE w.rate_period_seconds END,
  rate_burst = CASE WHEN :setRate THEN excluded.rate_burst ELSE w.rate_burst END,
  units = CASE WHEN :setRate THEN NULL ELSE w.units END,
  units_at = CASE WHEN :setRate THEN NULL ELSE w.units_at END,
  parent = CASE WHEN :setParent THEN excluded.parent ELSE w.parent END,
  updated_at = now()
