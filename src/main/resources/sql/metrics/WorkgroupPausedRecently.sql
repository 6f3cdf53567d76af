-- Workgroups paused now (1) or changed during the last hour (0 once resumed or expired): a bounded set of series
-- that drop to 0 when a pause ends instead of disappearing with their last value.
SELECT name, coalesce(paused_until > now(), false)::int AS paused
FROM workgroup
WHERE paused_until > now() - interval '1 hour' OR updated_at > now() - interval '1 hour'
