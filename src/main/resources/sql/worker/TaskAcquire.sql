-- Leases ready tasks of a channel to one or more acquire requests at once (see Combiner): request n (0, 1, ...)
-- asks for lim tasks for worker_id. Highest priority first, then oldest; the first request gets the first
-- tasks. Answers (n, id, attempt, document) rows, in request order, then priority order. With :documents, each
-- row carries its task's lease document (task_lease_document), built from the row as leased: one statement and one
-- round trip for a small acquire. Without it the document is null, and a large acquire reads the documents after
-- the commit (TaskLeasedDocuments.sql), so that building them does not hold up the channel's next acquire.
-- The running attempt is the task row itself (attempt, assigned_to, assigned_at); its ledger row (finished_attempt)
-- is written once, when the attempt ends.
-- The locked ids are chosen in a CTE (a plain IN-subquery may be re-evaluated and lock more than asked).
-- FOR NO KEY UPDATE, not FOR UPDATE: it does not conflict with the key-share locks that child inserts take.
-- At most one task per duplicate key is taken; the unique index task_running_key_uidx settles races between
-- acquirers that picked two twins at the same instant (the loser's statement is retried).
-- The channel and the requests are hidden from the planner (a sub-select, a JSON array read by json_elements):
-- every execution has the same cost estimate whatever the values, and the statement runs on its generic plan (the
-- ready index, in order). A candidate's twin is looked up in the unique index of running keys, one probe per
-- keyed candidate (OFFSET 0 keeps PostgreSQL from hashing every running task of the channel instead).
WITH request AS (
  SELECT r.n, r.worker_id, r.lease_seconds, sum(r.lim) OVER (ORDER BY r.n) - r.lim AS after_slot, r.lim
  FROM json_elements(CAST(:requests AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS r(n integer, worker_id text, lim integer, lease_seconds integer)
), candidates AS (
  SELECT t.id, t.key, t.priority, t.seq
  FROM task t
  WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused
    AND (t.key IS NULL OR NOT EXISTS (
          SELECT 1 FROM task twin WHERE twin.channel = t.channel AND twin.key = t.key AND twin.state = 'running' OFFSET 0))
  ORDER BY t.priority DESC, t.seq
  LIMIT (SELECT sum(lim) FROM request)
  FOR NO KEY UPDATE SKIP LOCKED
), chosen AS (
  SELECT DISTINCT ON (coalesce(c.key, c.id)) c.id, c.priority, c.seq
  FROM candidates c
  ORDER BY coalesce(c.key, c.id), c.priority DESC, c.seq
), slotted AS (
  SELECT c.id, row_number() OVER (ORDER BY c.priority DESC, c.seq) AS slot FROM chosen c
), assigned AS (
  SELECT s.id, r.n, r.worker_id, r.lease_seconds
  FROM slotted s JOIN request r ON s.slot > r.after_slot AND s.slot <= r.after_slot + r.lim
), leased AS (
  UPDATE task t SET
    state = 'running',
    assigned_to = a.worker_id,
    assigned_at = now(),
    lease_expires_at = now() + make_interval(secs => coalesce(a.lease_seconds, t.lease_seconds, :defaultLeaseSeconds)),
    attempt = t.attempt + 1,
    -- the attempt's deadline: the task's timeout, else its channel's (read once: one channel per statement)
    deadline_at = now() + make_interval(secs => coalesce(t.timeout_seconds, (
      SELECT s.timeout_seconds FROM channel_setting s WHERE s.channel = (SELECT CAST(:channel AS text)))))
  FROM assigned a
  WHERE t.id = a.id
  RETURNING a.n, t.id, t.attempt, t.priority, t.seq, t
)
-- The statement's own scans of task see the rows as they were before the update: the document is built from
-- the leased row that the update returns, in a sub-select that runs only when documents are asked for.
SELECT l.n, l.id, l.attempt,
       CASE WHEN CAST(:documents AS boolean) THEN (SELECT d.document FROM task_lease_document(l.t) d) END
FROM leased l
ORDER BY l.n, l.priority DESC, l.seq
