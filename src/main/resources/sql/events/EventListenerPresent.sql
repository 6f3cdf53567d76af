-- This replica streams events to at least one client: the triggers of V13 announce changes until expires_at.
INSERT INTO event_listener (instance_id, expires_at)
VALUES (:instance, now() + make_interval(secs => :ttlSeconds))
ON CONFLICT (instance_id) DO UPDATE SET expires_at = excluded.expires_at
