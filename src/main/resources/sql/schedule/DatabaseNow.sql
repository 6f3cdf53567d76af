-- The database clock, from which schedules count: replicas with skewed clocks agree.
SELECT now()
