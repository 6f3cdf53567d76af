-- Crew for the JVM: the whole data model. Ids are 24 lowercase hex characters, shaped like the
-- MongoDB ObjectIds that Crew 1.0.25 clients expect; creation order is the identity column `seq`.

CREATE TYPE task_state AS ENUM (
  'waiting',    -- some parent is not complete yet
  'scheduled',  -- parents complete, but held until available_at (runAfter, error delay, workgroup pause)
  'ready',      -- may be acquired now
  'running',    -- leased to one worker
  'complete',   -- finished successfully (executed, or merged with a duplicate)
  'failed',     -- attempts exhausted
  'blocked'     -- an ancestor failed: cannot run until it is retried or reset
);

CREATE TYPE attempt_outcome AS ENUM ('completed', 'failed', 'abandoned', 'merged', 'reset');

CREATE TABLE task_group (
  id           text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
  name         text,
  is_paused    boolean     NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX task_group_created_idx ON task_group (created_at DESC, id DESC);

CREATE TABLE workgroup (
  name         text PRIMARY KEY,
  paused_until timestamptz,
  reason       text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE task (
  id                  text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
  seq                 bigint GENERATED ALWAYS AS IDENTITY,
  group_id            text NOT NULL REFERENCES task_group (id) ON DELETE CASCADE,
  name                text,
  channel             text,
  workgroup           text,
  key                 text,
  priority            integer          NOT NULL DEFAULT 0,
  run_after           timestamptz,
  available_at        timestamptz,
  remaining_attempts  integer          NOT NULL DEFAULT 5,
  error_delay_seconds integer          NOT NULL DEFAULT 30 CHECK (error_delay_seconds >= 0),
  lease_seconds       integer          CHECK (lease_seconds > 0),
  is_seed             boolean          NOT NULL DEFAULT false,
  is_paused           boolean          NOT NULL DEFAULT false,
  progress_weight     double precision NOT NULL DEFAULT 1 CHECK (progress_weight >= 0),
  input               jsonb,
  output              jsonb,
  errors              jsonb            NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array'),
  state               task_state       NOT NULL,
  parents_left        integer          NOT NULL DEFAULT 0 CHECK (parents_left >= 0),
  attempt             integer          NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  assigned_to         text,
  assigned_at         timestamptz,
  lease_expires_at    timestamptz,
  created_at          timestamptz      NOT NULL DEFAULT now(),
  completed_at        timestamptz,

  CONSTRAINT task_attempts_not_negative CHECK (remaining_attempts >= 0),
  -- A live task always has an attempt left; a failed one has none.
  CONSTRAINT task_live_has_attempts CHECK (state NOT IN ('scheduled', 'ready', 'running') OR remaining_attempts > 0),
  CONSTRAINT task_failed_has_no_attempts CHECK (state <> 'failed' OR remaining_attempts = 0),
  -- Exactly the running tasks hold a lease.
  CONSTRAINT task_lease_iff_running CHECK (
    (state = 'running') = (assigned_to IS NOT NULL AND assigned_at IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CONSTRAINT task_completed_at_iff_complete CHECK ((state = 'complete') = (completed_at IS NOT NULL)),
  CONSTRAINT task_available_at_iff_scheduled CHECK ((state = 'scheduled') = (available_at IS NOT NULL)),
  -- The parents counter decides between waiting and runnable.
  CONSTRAINT task_waiting_iff_parents_left CHECK (
    state NOT IN ('waiting', 'blocked', 'scheduled', 'ready') OR (parents_left > 0) = (state IN ('waiting', 'blocked')))
);

-- Queue health: the task table is updated on every transition. A fillfactor below 100 leaves room for HOT
-- updates and aggressive per-table autovacuum keeps dead tuples from piling up at the head of the ready index.
ALTER TABLE task SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_delay = 0
);

-- Acquire: exactly the runnable tasks, in acquire order (priority desc, then creation order).
CREATE INDEX task_ready_idx ON task (channel, priority DESC, seq) WHERE state = 'ready' AND NOT is_paused;
-- Promotion of held tasks whose time has come.
CREATE INDEX task_scheduled_idx ON task (available_at) WHERE state = 'scheduled';
CREATE INDEX task_scheduled_channel_idx ON task (channel, available_at) WHERE state = 'scheduled';
-- Lease expiry sweep.
CREATE INDEX task_running_lease_idx ON task (lease_expires_at) WHERE state = 'running';
-- At most one execution per (channel, key) in flight, whatever races the acquirers run.
CREATE UNIQUE INDEX task_running_key_uidx ON task (channel, key) WHERE state = 'running' AND key IS NOT NULL;
-- Duplicate lookup on success, listing by group, channel and workgroup.
CREATE INDEX task_key_idx ON task (channel, key) WHERE key IS NOT NULL AND state <> 'complete';
CREATE INDEX task_group_idx ON task (group_id, seq);
-- Group completion checks look only at unfinished tasks.
CREATE INDEX task_group_open_idx ON task (group_id) WHERE state <> 'complete';
CREATE INDEX task_group_idle_idx ON task (group_id) WHERE state NOT IN ('complete', 'running');
CREATE INDEX task_channel_idx ON task (channel, created_at DESC, seq DESC);
CREATE INDEX task_workgroup_idx ON task (workgroup) WHERE workgroup IS NOT NULL AND state <> 'complete';

CREATE TABLE task_edge (
  parent_id text     NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  child_id  text     NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  ord       smallint NOT NULL,
  PRIMARY KEY (child_id, parent_id),
  CHECK (parent_id <> child_id)
);
CREATE INDEX task_edge_parent_idx ON task_edge (parent_id, child_id);

CREATE TABLE task_attempt (
  task_id     text            NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  attempt     integer         NOT NULL,
  worker_id   text,
  acquired_at timestamptz     NOT NULL DEFAULT now(),
  finished_at timestamptz,
  outcome     attempt_outcome,
  error       jsonb,
  PRIMARY KEY (task_id, attempt),
  CHECK ((finished_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX task_attempt_open_idx ON task_attempt (task_id) WHERE finished_at IS NULL;

CREATE TABLE operator (
  id             text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
  channel        text,
  url            text,
  request_config jsonb,
  is_paused      boolean,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX operator_created_idx ON operator (created_at DESC, id DESC);
CREATE INDEX operator_channel_idx ON operator (channel);

-- When a task whose parents are all complete may run: NULL means now, otherwise the later of its own
-- runAfter and its workgroup's pause. One definition, used by every transition into scheduled/ready.
-- PL/pgSQL, like task_json below: its plans are cached per session, where a non-inlinable SQL function would be
-- planned again at every call of a single-row statement.
CREATE FUNCTION task_hold_until(run_after timestamptz, workgroup_name text) RETURNS timestamptz
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  held timestamptz;
BEGIN
  IF workgroup_name IS NOT NULL THEN
    SELECT w.paused_until INTO held FROM workgroup w WHERE w.name = workgroup_name;
  END IF;
  held := greatest(run_after, held);
  RETURN CASE WHEN held > now() THEN held END;
END
$$;

-- The Crew 1.0.25 wire shape of a task (plus additive fields), built where the data is.
CREATE FUNCTION crew_time(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE FUNCTION task_json(t task) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN json_build_object(
    '_id', t.id,
    'taskGroupId', t.group_id,
    'name', t.name,
    'channel', t.channel,
    'workgroup', t.workgroup,
    'key', t.key,
    'remainingAttempts', t.remaining_attempts,
    'isPaused', t.is_paused,
    'parentsComplete', t.parents_left = 0,
    'isComplete', t.state = 'complete',
    'priority', t.priority,
    'runAfter', crew_time(greatest(t.run_after, t.available_at)),
    'progressWeight', t.progress_weight,
    'isSeed', t.is_seed,
    'errorDelayInSeconds', t.error_delay_seconds,
    'input', t.input,
    'errors', t.errors,
    'output', t.output,
    'createdAt', crew_time(t.created_at),
    'parentIds', coalesce((SELECT json_agg(e.parent_id ORDER BY e.ord) FROM task_edge e WHERE e.child_id = t.id),
                          '[]'::json),
    'assignedTo', t.assigned_to,
    'assignedAt', crew_time(t.assigned_at),
    'executeMessageId', NULL,
    'examineMessageId', NULL,
    'state', t.state,
    'attempt', t.attempt,
    'leaseSeconds', t.lease_seconds,
    'leaseExpiresAt', crew_time(t.lease_expires_at),
    'completedAt', crew_time(t.completed_at));
END
$$;
