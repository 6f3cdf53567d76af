-- This replica's last stream closed; expired rows of replicas that died go too.
DELETE FROM event_listener WHERE instance_id = :instance OR expires_at < now() - interval '1 hour'
