-- A queue table shaped like the task table's hot part, with the same kind of partial ready index.
DROP TABLE IF EXISTS bench_job;
CREATE TABLE bench_job (
  id       bigserial PRIMARY KEY,
  priority integer NOT NULL DEFAULT 0,
  state    text    NOT NULL DEFAULT 'ready',
  token    bigint,
  payload  jsonb
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 0);
CREATE INDEX bench_job_ready_idx ON bench_job (priority DESC, id) WHERE state = 'ready';
CREATE INDEX bench_job_running_idx ON bench_job (token) WHERE state = 'running';
