-- Dead and live tuples of the task table, from the statistics collector (no table access).
SELECT coalesce(sum(n_dead_tup), 0) AS dead, coalesce(sum(n_live_tup), 0) AS live
FROM pg_stat_user_tables
WHERE relid = 'task'::regclass
