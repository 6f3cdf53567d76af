-- Whether this replica takes the snapshot now: it is older than the interval, and no other replica is taking it
-- (the lock is held until the transaction ends; the others read the previous snapshot meanwhile).
SELECT coalesce((SELECT max(taken_at) FROM task_count_snapshot), '-infinity') < now() - make_interval(secs => :maxAgeSeconds)
       AND pg_try_advisory_xact_lock(hashtext('crew.task_count_snapshot'))
