-- The database ceiling for Crew's pattern: claim :batch ready jobs with SKIP LOCKED (transaction 1), then complete
-- them (transaction 2). Run with: pgbench -n -f claim_complete.sql -D batch=N
\set token random(1, 2000000000)
BEGIN;
WITH c AS (
  SELECT id FROM bench_job WHERE state = 'ready' ORDER BY priority DESC, id LIMIT :batch FOR NO KEY UPDATE SKIP LOCKED
)
UPDATE bench_job j SET state = 'running', token = :token FROM c WHERE j.id = c.id;
COMMIT;
BEGIN;
UPDATE bench_job SET state = 'complete' WHERE token = :token AND state = 'running';
COMMIT;
