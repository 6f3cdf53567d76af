-- An event of a group that no row change announces (Crew's group:reset and group:retry, payload null), for the
-- event listeners of every replica (V13); nothing is sent while nobody listens.
SELECT pg_notify('crew_events', json_build_object('event', CAST(:event AS text), 'group', CAST(:id AS text),
                                                  'data', NULL)::text)
WHERE EXISTS (SELECT 1 FROM event_listener WHERE expires_at > now())
