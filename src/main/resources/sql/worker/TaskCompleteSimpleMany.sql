-- The common release in one round trip, for one task or a whole batch: tasks without a duplicate key, released
-- by their lease holder with an output and nothing else. Completes each such task (fenced on worker and
-- attempt, one row per input), writes its attempt's ledger row, frees its children — a child with several
-- parents in the batch loses them all at once; children are locked in id order, as in TaskReleaseChildren —
-- and returns each completed task's document (null when the release did not ask for it: a good part of the cost).
-- The document is task_text's, written in SQL: a PL/pgSQL function sets up its expressions again in
-- every transaction, which is every release.
-- An input that is not such a task leased to this worker (within its deadline, when it has one) returns no row: the caller takes the general path for it.
-- So does a task whose row changed after the statement read it (its version, xmin, differs): the edges were read
-- then too, and a change of its children's parents that held the task meanwhile (TaskLockParentsForChange), or a
-- creation of children under it (TaskLockParents), would be missed. The general path reads the edges after it has
-- locked the task.
-- The releases come as one JSON array (json_elements: an estimate of one row whatever it holds, so the cached
-- generic plan fits every call). Each task is reached by a primary-key probe: the leases from a LATERAL
-- sub-select that OFFSET 0 keeps whole (no hash join over a scan of the table), the children by their edges and
-- updated as in TaskReleaseChildren.
WITH input AS (
  SELECT i.* FROM json_elements(CAST(:releases AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS i(id text, worker_id text, attempt integer, output json, document boolean)
), held AS (
  -- The leases as they stand: which attempt each release ends, and when it began (for its ledger row).
  -- assigned_to = worker implies state = 'running' (CHECK task_consistent). Not naming the state keeps
  -- the partial index of running tasks out of the plan: each input row is looked up by primary key, never by
  -- a scan of every running task.
  SELECT t.id, t.attempt, t.assigned_at, t.version, i.worker_id, i.output, i.document
  FROM input i
  CROSS JOIN LATERAL (
    SELECT t.id, t.attempt, t.assigned_at, t.xmin AS version FROM task t
    WHERE t.id = i.id AND t.assigned_to = i.worker_id AND t.key IS NULL AND (i.attempt IS NULL OR t.attempt = i.attempt)
      AND (t.deadline_at IS NULL OR t.deadline_at > now())
    OFFSET 0) t
), done AS (
  -- Fenced again on the attempt and on the row's version: a task changed since the statement began is left to the
  -- general path.
  UPDATE task t SET
    state = 'complete', output = h.output, completed_at = now(), remaining_attempts = 0,
    run_after = NULL, assigned_to = NULL, assigned_at = NULL, lease_expires_at = NULL, deadline_at = NULL
  FROM held h
  WHERE t.id = h.id AND t.assigned_to = h.worker_id AND t.attempt = h.attempt AND t.xmin = h.version
  RETURNING t.id, t.attempt, h.worker_id, h.assigned_at,
    CASE WHEN h.document THEN (SELECT d.document FROM task_text(t) d) END AS document
), ledger AS (
  INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome)
  SELECT id, attempt, worker_id, assigned_at, now(), 'completed' FROM done
), edges AS (
  SELECT e.child_id, count(*)::int AS n
  FROM done CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = done.id OFFSET 0) e
  GROUP BY e.child_id
), locked AS (
  SELECT c.id, edges.n
  FROM (SELECT child_id, n FROM edges ORDER BY child_id) edges
  CROSS JOIN LATERAL (SELECT c.id FROM task c WHERE c.id = edges.child_id FOR NO KEY UPDATE) c
), child AS (
  SELECT c.id, f.counts[c.i] AS n
  FROM (SELECT array_agg(l.id ORDER BY l.id) AS ids, array_agg(l.n ORDER BY l.id) AS counts FROM locked l) f
  CROSS JOIN LATERAL text_elements(f.ids) WITH ORDINALITY AS c(id, i)
), freed AS (
  UPDATE task c SET
    parents_left = c.parents_left - l.n,
    (state, available_at) = (SELECT n.state, n.available_at
                             FROM task_settles(c.state, c.available_at, c.parents_left - l.n, c.state = 'blocked',
                                               c.run_after, c.workgroup) n)
  FROM child l WHERE c.id = l.id
)
SELECT d.id, d.document FROM done d
