-- Whether a channel has ready tasks on the throttled path: one probe of task_throttled_ready_idx, in its order (an
-- EXISTS would let the planner, which expects many such tasks where some are throttled, read the whole table for a
-- channel that has none).
SELECT (SELECT 1 FROM task t
        WHERE t.channel = :channel AND t.state = 'ready' AND NOT t.is_paused AND t.throttled
        ORDER BY t.channel, coalesce(t.workgroup, ''), t.priority DESC, t.seq
        LIMIT 1) IS NOT NULL
