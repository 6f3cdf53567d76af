-- Leases up to :limit ready tasks of a channel to one worker: highest priority first, then oldest.
-- The locked ids are chosen in a CTE (a plain IN-subquery may be re-evaluated and lock more than :limit rows).
-- FOR NO KEY UPDATE, not FOR UPDATE: it does not conflict with the key-share locks that child inserts take.
-- At most one task per duplicate key is taken; the unique index task_running_key_uidx settles races between
-- acquirers that picked two twins at the same instant (the loser's transaction is retried).
-- The channel and the limit are hidden from the planner in sub-selects: every execution then has the same cost
-- estimate whatever the values, so PostgreSQL settles on the cached generic plan (the ready index, in order)
-- instead of planning each call anew, which cost about 1 ms of database CPU per acquire.
WITH candidates AS (
  SELECT t.id, t.key, t.priority, t.seq
  FROM task t
  WHERE t.channel = (SELECT CAST(:channel AS text)) AND t.state = 'ready' AND NOT t.is_paused
    AND (t.key IS NULL OR NOT EXISTS (
          SELECT 1 FROM task twin WHERE twin.channel = t.channel AND twin.key = t.key AND twin.state = 'running'))
  ORDER BY t.priority DESC, t.seq
  LIMIT (SELECT :limit)
  FOR NO KEY UPDATE SKIP LOCKED
), chosen AS (
  SELECT DISTINCT ON (coalesce(c.key, c.id)) c.id
  FROM candidates c
  ORDER BY coalesce(c.key, c.id), c.priority DESC, c.seq
), leased AS (
  UPDATE task t SET
    state = 'running',
    assigned_to = :workerId,
    assigned_at = now(),
    lease_expires_at = now() + make_interval(secs => coalesce(:leaseSeconds, t.lease_seconds, :defaultLeaseSeconds)),
    attempt = t.attempt + 1
  FROM chosen
  WHERE t.id = chosen.id
  RETURNING t AS row, t.id, t.attempt, t.assigned_to, t.assigned_at, t.priority, t.seq
), ledger AS (
  INSERT INTO task_attempt (task_id, attempt, worker_id, acquired_at)
  SELECT id, attempt, assigned_to, assigned_at FROM leased
)
SELECT json_build_object(
         'task', task_json(l.row),
         'parents', (SELECT coalesce(json_agg(json_build_object(
                                       '_id', p.id, 'channel', p.channel, 'input', p.input, 'output', p.output)
                                     ORDER BY e.ord), '[]'::json)
                     FROM task_edge e JOIN task p ON p.id = e.parent_id
                     WHERE e.child_id = l.id))
FROM leased l
ORDER BY l.priority DESC, l.seq
