-- Leases ready tasks of a channel to one or more acquire requests at once (see Combiner): request n (0, 1, ...)
-- asks for lim tasks for worker_id. Highest priority first, then oldest (in a fair channel: then the workgroup whose
-- turn it is); the first request gets the first tasks. Throttled tasks (V23) are taken only as far as the caps and
-- budgets of their workgroup and its ancestors allow, spending units and counting leases in the same statement.
-- Answers (n, id, attempt, document) rows, in request order, then priority order; and (-1, workgroup) for each
-- workgroup whose ready tasks it reached in its order and found held by a cap or a budget. With :documents, each
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
WITH RECURSIVE request AS (
  SELECT r.n, r.worker_id, r.lease_seconds, sum(r.lim) OVER (ORDER BY r.n) - r.lim AS after_slot, r.lim
  FROM json_elements(CAST(:requests AS json)) AS e
  CROSS JOIN LATERAL json_to_record(e) AS r(n integer, worker_id text, lim integer, lease_seconds integer)
), candidates AS (
  -- The plain path: tasks without a cap, a budget or a fair channel, in Crew's order.
  SELECT t.id, t.key, t.priority, t.seq
  FROM task t
  WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused AND NOT t.throttled
    AND (t.key IS NULL OR NOT EXISTS (
          SELECT 1 FROM task twin WHERE twin.channel = t.channel AND twin.key = t.key AND twin.state = 'running' OFFSET 0))
  ORDER BY t.priority DESC, t.seq
  LIMIT (SELECT sum(lim) FROM request)
  FOR NO KEY UPDATE SKIP LOCKED
), queue(wg, priority, seq) AS (
  -- The throttled path: the channel's workgroups with ready throttled tasks, one index probe each (a skip scan of
  -- task_throttled_ready_idx), however many tasks each holds. The probe that finds a workgroup finds its head: the
  -- index orders each workgroup's tasks as acquire takes them.
  SELECT h.wg, h.priority, h.seq
  FROM (SELECT coalesce(t.workgroup, '') AS wg, t.priority, t.seq FROM task t
        WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused AND t.throttled
        ORDER BY coalesce(t.workgroup, ''), t.priority DESC, t.seq LIMIT 1) h
  UNION ALL
  SELECT h.wg, h.priority, h.seq
  FROM queue q
  CROSS JOIN LATERAL (
    SELECT coalesce(t.workgroup, '') AS wg, t.priority, t.seq FROM task t
    WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused AND t.throttled
      AND coalesce(t.workgroup, '') > q.wg
    ORDER BY coalesce(t.workgroup, ''), t.priority DESC, t.seq LIMIT 1) h
), ordered AS MATERIALIZED (
  -- Every queue, numbered in acquire order (in a fair channel: by its turn).
  SELECT q.wg, row_number() OVER (
           ORDER BY q.priority DESC,
                    CASE WHEN EXISTS (SELECT 1 FROM channel_setting s WHERE s.channel = (SELECT CAST(:channel AS text))
                                                                        AND s.fairness = 'workgroup')
                         THEN coalesce(f.pass, 0) END,
                    q.seq) AS ord
  FROM queue q
  LEFT JOIN fair_queue f ON f.channel = (SELECT CAST(:channel AS text)) AND f.workgroup = q.wg
), considered AS (
  -- The queues worth locking: the first ones in acquire order whose workgroup and ancestors all had room as the
  -- statement began (no full cap, no empty bucket), no more than the tasks asked for. A queue's chain is read (by
  -- key) only as far down the order as it takes to find them: an acquire over a thousand queues with room reads
  -- a few chains, not a thousand. A full workgroup is neither locked nor read again, so that an acquire costs as
  -- many row locks as the tasks it may hand out, not as many as the channel has workgroups.
  SELECT o.wg, o.ord
  FROM (SELECT o.wg, o.ord FROM ordered o ORDER BY o.ord OFFSET 0) o
  WHERE NOT EXISTS (
    SELECT 1 FROM workgroup_chain(o.wg) w
    WHERE CASE WHEN workgroup_units_left(w) < 1 THEN true
               WHEN w.max_running IS NULL THEN false
               WHEN (SELECT min(b.parent) FROM workgroup b WHERE b.parent >= w.name) IS DISTINCT FROM w.name
               THEN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name)
                    >= w.max_running
               ELSE workgroup_running(w) >= w.max_running END)
  LIMIT (SELECT sum(lim) FROM request)
), chain(queue, name, parent, depth, leased, running) AS (
  -- Each considered queue's workgroup and its ancestors as the statement began (read without a lock): the leases
  -- taken then, and its throttled tasks and its descendants' running then (V32's workgroup_running), counted only
  -- where there is a cap. Read by key (the considered queues' names as one array; the parent's key per step).
  SELECT q.wg, w.name, w.parent, 0, w.leased, r.running
  FROM considered q
  JOIN workgroup w ON w.name = q.wg AND w.name = ANY (ARRAY(SELECT wg FROM considered))
  CROSS JOIN LATERAL (
    SELECT CASE WHEN w.max_running IS NULL THEN 0
                WHEN (SELECT min(b.parent) FROM workgroup b WHERE b.parent >= w.name) IS DISTINCT FROM w.name
                THEN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name)
                ELSE workgroup_running(w) END AS running
    OFFSET 0) r
  UNION ALL
  -- Ancestors, one step per level; only rows with a parent go on (with none, nothing else is read).
  SELECT c.queue, w.name, w.parent, c.depth + 1, w.leased, r.running
  FROM chain c JOIN workgroup w ON w.name = c.parent
  CROSS JOIN LATERAL (
    SELECT CASE WHEN w.max_running IS NULL THEN 0 ELSE workgroup_running(w) END AS running OFFSET 0) r
  WHERE c.parent IS NOT NULL AND c.depth < 16
), locked AS (
  -- Their rows, read by key (the chains' names as one array: a handful), locked in name order and read as they
  -- stand after the lock: the cap's room (the leases running as the statement began, plus those taken since, by the
  -- row's count: V32) and the bucket's units that this statement may spend.
  SELECT w.name, w.max_running - (s.running + w.leased - s.leased) AS slots, workgroup_units_left(w) AS units
  FROM workgroup w
  JOIN (SELECT DISTINCT c.name, c.running, c.leased FROM chain c) s ON s.name = w.name
  WHERE w.name = ANY (ARRAY(SELECT c.name FROM chain c))
  ORDER BY w.name
  FOR NO KEY UPDATE OF w
), room AS (
  -- Tasks a queue may give at most (each spends at least one unit); no row, or null: no limit on its chain.
  SELECT c.queue, CASE WHEN min(least(l.slots, floor(l.units)::bigint)) < 0 THEN 0
                       ELSE min(least(l.slots, floor(l.units)::bigint)) END AS n
  FROM chain c JOIN locked l ON l.name = c.name
  GROUP BY c.queue
), heads AS (
  -- Each considered queue read only as far as its room (and the acquire) allows.
  SELECT q.wg AS queue, h.id, h.key, h.priority, h.seq, h.units
  FROM considered q
  CROSS JOIN LATERAL (
    SELECT t.id, t.key, t.priority, t.seq, coalesce(t.rate_units, 1) AS units FROM task t
    WHERE t.channel = (SELECT CAST(:channel AS text)) AND coalesce(t.workgroup, '') = q.wg
      AND t.state = 'ready' AND NOT t.is_paused AND t.throttled
      AND (t.key IS NULL OR NOT EXISTS (
            SELECT 1 FROM task twin WHERE twin.channel = t.channel AND twin.key = t.key AND twin.state = 'running' OFFSET 0))
    ORDER BY t.priority DESC, t.seq
    LIMIT least((SELECT sum(lim) FROM request), (SELECT r.n FROM room r WHERE r.queue = q.wg))
    FOR NO KEY UPDATE SKIP LOCKED) h
  WHERE q.wg IS NOT NULL
), fairness AS (
  SELECT c.clock FROM channel_setting c WHERE c.channel = (SELECT CAST(:channel AS text)) AND c.fairness = 'workgroup'
), turned AS (
  -- In a fair channel, each head's turn: its queue's pass (or the channel's clock, if later) plus its place.
  SELECT h.*, greatest(f.pass, (SELECT clock FROM fairness))
              + row_number() OVER (PARTITION BY h.queue ORDER BY h.priority DESC, h.seq) AS turn
  FROM heads h
  LEFT JOIN fair_queue f ON f.channel = (SELECT CAST(:channel AS text)) AND f.workgroup = h.queue
  WHERE EXISTS (SELECT 1 FROM fairness)
  UNION ALL
  SELECT h.*, NULL FROM heads h WHERE NOT EXISTS (SELECT 1 FROM fairness)
), spent AS (
  -- What each workgroup of a chain would have given once every head before this one in acquire order was taken.
  SELECT t.id, l.slots, l.units,
         count(*) OVER w AS taken, sum(t.units) OVER w AS units_taken
  FROM turned t JOIN chain c ON c.queue = t.queue JOIN locked l ON l.name = c.name
  WINDOW w AS (PARTITION BY l.name ORDER BY t.priority DESC, t.turn, t.seq)
), allowed AS (
  SELECT t.* FROM turned t
  WHERE NOT EXISTS (SELECT 1 FROM spent s WHERE s.id = t.id AND (s.taken > s.slots OR s.units_taken > s.units))
), chosen AS (
  SELECT DISTINCT ON (coalesce(c.key, c.id)) c.id, c.priority, c.turn, c.seq
  FROM (SELECT id, key, priority, NULL::bigint AS turn, seq FROM candidates
        UNION ALL SELECT id, key, priority, turn, seq FROM allowed) c
  ORDER BY coalesce(c.key, c.id), c.priority DESC, c.turn, c.seq
), slotted AS (
  SELECT c.id, row_number() OVER (ORDER BY c.priority DESC, c.turn, c.seq) AS slot FROM chosen c
), assigned AS (
  SELECT s.id, r.n, r.worker_id, r.lease_seconds, clock_timestamp() AS at
  FROM slotted s JOIN request r ON s.slot > r.after_slot AND s.slot <= r.after_slot + r.lim
), leased AS (
  -- The lease starts when the tasks were chosen, after any wait for a workgroup's row (a.at): the ledger then never
  -- shows a lease beginning before the end of the one whose freed slot it took (now() is when the statement began).
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
), budget AS (
  -- The leases taken and the units spent, for every workgroup of the chains (one write per workgroup and acquire),
  -- units as of the spend (s.at: after any wait for the row, and after the leases' assigned_at), refilled up to
  -- then: a bucket's state is exact at its units_at, so no window of leases by their start holds more than the
  -- burst and the rate. cap_reached: whether these leases took the cap's last slot (by the locked count, which never
  -- counts too few), for the end of a lease to know whether anyone waits for its slot (V34).
  UPDATE workgroup w SET
    leased = w.leased + s.tasks,
    units = CASE WHEN w.rate_limit IS NULL THEN w.units ELSE workgroup_units_left_at(w, s.at) - s.units END,
    units_at = CASE WHEN w.rate_limit IS NULL THEN w.units_at ELSE greatest(w.units_at, s.at) END,
    cap_reached = w.max_running IS NOT NULL AND s.slots - s.tasks <= 0
  FROM (SELECT c.name, count(*) AS tasks, sum(a.units) AS units, min(k.slots) AS slots, clock_timestamp() AS at
        FROM leased l JOIN allowed a ON a.id = l.id JOIN chain c ON c.queue = a.queue JOIN locked k ON k.name = c.name
        GROUP BY c.name) s
  WHERE w.name = s.name AND w.name = ANY (ARRAY(SELECT l.name FROM locked l))
), passes AS (
  INSERT INTO fair_queue AS f (channel, workgroup, pass)
  SELECT (SELECT CAST(:channel AS text)), a.queue, max(a.turn)
  FROM leased l JOIN allowed a ON a.id = l.id
  WHERE a.turn IS NOT NULL
  GROUP BY a.queue
  ON CONFLICT (channel, workgroup) DO UPDATE SET pass = greatest(f.pass, excluded.pass)
), clock AS (
  UPDATE channel_setting c SET clock = greatest(c.clock, x.turn)
  FROM (SELECT max(a.turn) AS turn FROM leased l JOIN allowed a ON a.id = l.id) x
  WHERE c.channel = (SELECT CAST(:channel AS text)) AND x.turn IS NOT NULL
), held AS (
  -- The queues this acquire found held: passed over for want of room in their chain as it began (those before the
  -- last considered one in acquire order; every one, when fewer were considered than tasks asked for), or with none
  -- left once it had the locks. Queues after the last considered one were not looked at.
  SELECT o.wg AS queue FROM ordered o
  WHERE NOT EXISTS (SELECT 1 FROM considered c WHERE c.wg = o.wg)
    AND (o.ord < (SELECT max(c.ord) FROM considered c)
         OR (SELECT count(*) FROM considered) < (SELECT sum(lim) FROM request))
  UNION
  SELECT r.queue FROM room r WHERE r.n = 0
)
-- The statement's own scans of task see the rows as they were before the update: the document is built from
-- the leased row that the update returns, in a sub-select that runs only when documents are asked for. Then one
-- row (n -1) per held queue, for the metrics.
SELECT x.n, x.id, x.attempt, x.document
FROM (SELECT l.n, l.id, l.attempt, l.priority, l.seq,
             CASE WHEN CAST(:documents AS boolean) THEN (SELECT d.document FROM task_lease_document(l.t) d) END
               AS document
      FROM leased l
      UNION ALL
      SELECT -1, h.queue, 0, 0, 0, NULL FROM held h) x
ORDER BY x.n, x.priority DESC, x.seq
