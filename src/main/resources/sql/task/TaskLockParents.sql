-- Locks the existing parents of tasks about to be created, so that a parent completing concurrently waits for the
-- new edges to commit and then counts them. Sorted by id: a deterministic lock order, one primary-key probe per id
-- (an `id = ANY(...)` scan would read a small table whole, whose size a cached plan outlives).
-- The common release (worker/TaskCompleteSimpleMany) is one statement that reads the edges as they were when it
-- started: one that started before this creation commits and waited for the lock here would complete the parent
-- without the new edge, and the new task would wait for ever. So a running parent is locked FOR NO KEY UPDATE and
-- given a new row version with no value changed, as in TaskLockParentsForChange: that release completes only the
-- version it read, so it falls back to the general path, which locks first and reads the edges afterwards.
-- Only a running parent needs it: any other, share-locked by us, cannot be leased (acquire skips locked rows), let
-- alone released, before we commit. Sharing keeps creations under one waiting or complete parent (a fan-out's usual
-- shape) concurrent and writes nothing; a running parent costs one HOT update (announced as a task:update event)
-- and makes the creators under it take turns until they commit.
-- The mode is chosen from this statement's snapshot, before the lock: taking the share lock first and upgrading it
-- when the row turns out to be running would deadlock two creators under one parent. A parent leased after the
-- snapshot and before its lock is then only shared: `started` reports it and the caller runs its transaction
-- again, whose snapshot sees the parent running. No lock is upgraded, and every lock is taken in id order.
-- `assigned_to IS NOT NULL` means running (CHECK task_lease_iff_running) without naming the state, which would let
-- the partial index of running tasks into the plan. Returns the parents found: id, state, started.
WITH parent AS (
  SELECT p.id, coalesce(l.state, s.state) AS state, l.id IS NOT NULL AS leased, s.assigned_to IS NOT NULL AS started
  FROM (SELECT DISTINCT p.id FROM text_elements(CAST(:ids AS text[])) AS p(id) ORDER BY p.id) p
  LEFT JOIN LATERAL (
    SELECT t.id, t.state FROM task t WHERE t.id = p.id AND t.assigned_to IS NOT NULL FOR NO KEY UPDATE) l ON true
  LEFT JOIN LATERAL (
    SELECT t.state, t.assigned_to FROM task t WHERE t.id = p.id AND l.id IS NULL FOR SHARE) s ON true
), renewed AS (
  UPDATE task t SET parents_left = t.parents_left
  FROM parent p
  WHERE t.id = p.id AND p.leased
)
SELECT p.id, p.state, p.started FROM parent p WHERE p.state IS NOT NULL
