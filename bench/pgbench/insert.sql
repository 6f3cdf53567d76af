-- The database ceiling for creating one task per request: one row per transaction into bench_task
-- (insert_setup.sql), an id shaped like the service's (creation time in seconds, then random hex).
-- Run with: pgbench -n -f insert.sql
\set r random(1, 4611686018427387903)
INSERT INTO bench_task (id, group_id, channel, state, input)
VALUES (lpad(to_hex(extract(epoch FROM clock_timestamp())::bigint), 8, '0') || lpad(to_hex(:r), 16, '0'),
        '000000000000000000000001', 'bench', 'ready', '{"n": 1}');
