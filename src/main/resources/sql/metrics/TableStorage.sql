-- Storage of each table of the service's schema, from the statistics collector and the files' sizes (no table
-- access): dead and live tuples, size of the table (heap, TOAST, free-space and visibility maps) and of its indexes,
-- seconds since its last vacuum (manual or auto; NULL: never), and autovacuum runs since the statistics were reset.
SELECT s.relname AS table_name, s.n_dead_tup AS dead, s.n_live_tup AS live,
       pg_table_size(s.relid) AS table_bytes, pg_indexes_size(s.relid) AS index_bytes,
       extract(epoch FROM now() - greatest(s.last_autovacuum, s.last_vacuum)) AS vacuum_age_seconds,
       s.autovacuum_count AS autovacuums
FROM pg_stat_user_tables s
WHERE s.schemaname = current_schema()
ORDER BY s.relname
