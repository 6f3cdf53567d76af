-- The database ceiling for creating tasks one at a time (insert.sql): a table shaped like the task table's hot part,
-- with the indexes an inserted ready task enters in the real one (primary key, ready index, group and channel
-- listings; the other partial indexes leave ready tasks out), its id check and its group's foreign key.
DROP TABLE IF EXISTS bench_task, bench_group;
CREATE TABLE bench_group (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$')
);
INSERT INTO bench_group VALUES ('000000000000000000000001');
CREATE TABLE bench_task (
  id         text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
  seq        bigint GENERATED ALWAYS AS IDENTITY,
  group_id   text        NOT NULL REFERENCES bench_group (id) ON DELETE CASCADE,
  channel    text,
  state      text        NOT NULL,
  priority   integer     NOT NULL DEFAULT 0,
  is_paused  boolean     NOT NULL DEFAULT false,
  input      jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80);
CREATE INDEX bench_task_ready_idx ON bench_task (channel, priority DESC, seq) WHERE state = 'ready' AND NOT is_paused;
CREATE INDEX bench_task_group_idx ON bench_task (group_id, seq);
CREATE INDEX bench_task_channel_idx ON bench_task (channel, created_at DESC, seq DESC) WHERE state <> 'running';
