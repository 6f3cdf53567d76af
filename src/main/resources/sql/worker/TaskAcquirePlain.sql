-- The acquire of a channel whose ready tasks are all on the plain path (no throttled task: no workgroup with a cap
-- or a budget, not a fair channel), which is every channel that uses no flow control: TaskAcquire.sql without its
-- throttled part, whose CTEs would cost each acquire their start-up for nothing. LeaseRepository chooses between the
-- two (ChannelPaths). See TaskAcquire.sql for the rest.
WITH request AS (
  SELECT r.n, r.worker_id, r.lease_seconds, sum(r.lim) OVER (ORDER BY r.n) - r.lim AS after_slot, r.lim
  FROM json_elements(CAST(:requests AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS r(n integer, worker_id text, lim integer, lease_seconds integer)
), candidates AS (
  SELECT t.id, t.key, t.priority, t.seq
  FROM task t
  WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused AND NOT t.throttled
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
  SELECT s.id, r.n, r.worker_id, r.lease_seconds, clock_timestamp() AS at
  FROM slotted s JOIN request r ON s.slot > r.after_slot AND s.slot <= r.after_slot + r.lim
), leased AS (
  -- The lease starts when the tasks were chosen (a.at), as in TaskAcquire.sql.
  UPDATE task t SET
    state = 'running',
    assigned_to = a.worker_id,
    assigned_at = a.at,
    lease_expires_at = a.at + make_interval(secs => coalesce(a.lease_seconds, t.lease_seconds, :defaultLeaseSeconds)),
    attempt = t.attempt + 1,
    -- the attempt's deadline: the task's timeout, else its channel's (read once: one channel per statement)
    deadline_at = a.at + make_interval(secs => coalesce(t.timeout_seconds, (
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
