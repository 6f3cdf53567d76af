-- The attempt ledger gets one row per attempt, written once, when the attempt ends. Before, an acquire inserted
-- an open row that the release then updated: two writes (and a foreign-key check) in the hot path of every task,
-- about a sixth of its database time, for what the task row already holds while it runs (attempt, assigned_to,
-- assigned_at). The table is renamed finished_attempt; task_attempt, which reports and the attempts endpoint read,
-- becomes a view with the same columns: the finished attempts and the running ones (finished_at and outcome null).
ALTER TABLE task_attempt RENAME TO finished_attempt;
ALTER TABLE finished_attempt RENAME CONSTRAINT task_attempt_pkey TO finished_attempt_pkey;
ALTER TABLE finished_attempt RENAME CONSTRAINT task_attempt_task_id_fkey TO finished_attempt_task_id_fkey;
-- Open rows are running attempts: the task row has them.
DELETE FROM finished_attempt WHERE finished_at IS NULL;
ALTER TABLE finished_attempt DROP CONSTRAINT task_attempt_check1;
ALTER TABLE finished_attempt
  ALTER COLUMN acquired_at DROP DEFAULT,
  ALTER COLUMN finished_at SET NOT NULL,
  ALTER COLUMN outcome SET NOT NULL;

CREATE VIEW task_attempt AS
  SELECT task_id, attempt, worker_id, acquired_at, finished_at, outcome, error
  FROM finished_attempt
  UNION ALL
  SELECT id, attempt, assigned_to, assigned_at, NULL::timestamptz, NULL::attempt_outcome, NULL::jsonb
  FROM task WHERE state = 'running';
