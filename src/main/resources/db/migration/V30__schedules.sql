-- Schedules: task groups created from a template at fire times computed from a cron expression or an interval.
-- A fire time is done exactly when its schedule_run row exists: the row, the group it created and the schedule's
-- next fire time are written by one transaction, and the unique index makes a second run of one fire time fail.

CREATE TYPE schedule_overlap AS ENUM ('allow', 'skip');
CREATE TYPE schedule_catch_up AS ENUM ('none', 'latest', 'all');

CREATE TABLE schedule (
  id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
  name          text NOT NULL CHECK (name <> ''),
  cron          text,
  every_seconds integer CHECK (every_seconds > 0),
  time_zone     text NOT NULL,
  start_at      timestamptz,
  end_at        timestamptz,
  -- An interval schedule fires at anchor_at + k * every_seconds: its start, else when it was created or changed.
  anchor_at     timestamptz NOT NULL,
  overlap       schedule_overlap  NOT NULL,
  catch_up      schedule_catch_up NOT NULL,
  is_paused     boolean NOT NULL DEFAULT false,
  template      json NOT NULL,
  -- The earliest fire time not done yet; null once the end has passed.
  next_fire_at  timestamptz,
  -- The group of the latest run, for the overlap policy.
  last_group_id text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT schedule_cron_or_interval CHECK ((cron IS NULL) <> (every_seconds IS NULL)),
  CONSTRAINT schedule_end_after_start CHECK (end_at IS NULL OR start_at IS NULL OR end_at >= start_at)
);
-- The due check (ScheduleLockDue): the schedules that may fire, by their next fire time.
CREATE INDEX schedule_due_idx ON schedule (next_fire_at) WHERE NOT is_paused AND next_fire_at IS NOT NULL;
CREATE INDEX schedule_created_idx ON schedule (created_at DESC, id DESC);

CREATE TABLE schedule_run (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule_id   text NOT NULL REFERENCES schedule (id) ON DELETE CASCADE,
  fire_time     timestamptz NOT NULL,
  -- Run now (POST /schedule/{id}/run): at the time of the request, outside the schedule's fire times.
  is_manual     boolean NOT NULL DEFAULT false,
  -- No foreign key: the history outlives its groups, which expire and are deleted.
  task_group_id text,
  skipped       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT schedule_run_group_or_skipped CHECK ((task_group_id IS NULL) <> (skipped IS NULL))
);
-- Exactly once per fire time: a second run of the same scheduled time cannot be written.
CREATE UNIQUE INDEX schedule_run_fire_time_key ON schedule_run (schedule_id, fire_time) WHERE NOT is_manual;
CREATE INDEX schedule_run_history_idx ON schedule_run (schedule_id, fire_time DESC, id DESC);
