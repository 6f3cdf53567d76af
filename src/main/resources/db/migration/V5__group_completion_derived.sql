-- A group's completion is derived from its tasks when it is read (every task complete; completedAt is the last
-- task's completion) instead of being recorded by the release that finished it. Recording it cost every release a
-- look for idle tasks of its group (a scan through the dead index entries of the tasks just acquired: the cost grew
-- with the group), and took turns on the group row among the last releases; a derived value is never stale.
ALTER TABLE task_group DROP COLUMN completed_at;
-- Served only that look. task_group_open_idx goes too: nothing reads it, and as an index on every unfinished
-- task whose predicate follows from state = 'ready' it was a candidate plan for acquire on stale statistics.
DROP INDEX task_group_idle_idx;
DROP INDEX task_group_open_idx;

-- For reports in SQL: each group with its task counts, progress and completion, as the API computes them.
CREATE VIEW task_group_summary AS
SELECT g.id, g.name, g.is_paused, g.created_at,
       count(t.id)::int AS total_tasks,
       count(t.id) FILTER (WHERE t.state = 'complete')::int AS complete_tasks,
       count(t.id) FILTER (WHERE t.state = 'failed')::int AS failed_tasks,
       CASE WHEN count(t.id) > 0 AND bool_and(t.state = 'complete') THEN max(t.completed_at) END AS completed_at
FROM task_group g LEFT JOIN task t ON t.group_id = g.id
GROUP BY g.id;
