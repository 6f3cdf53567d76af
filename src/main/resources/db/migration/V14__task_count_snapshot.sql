-- The task counts of /q/metrics (crew_tasks, crew_backlog_age_seconds), taken by one replica per interval and
-- read by all: counting needs a pass over the whole table (no index covers every state, and one that did would
-- cost every state change on the hot path), so N replicas must not each make it.
CREATE UNLOGGED TABLE task_count_snapshot (
  channel         text        NOT NULL,
  state           text        NOT NULL,
  tasks           bigint      NOT NULL,
  oldest_ready_at timestamptz,
  taken_at        timestamptz NOT NULL,
  PRIMARY KEY (channel, state)
);
