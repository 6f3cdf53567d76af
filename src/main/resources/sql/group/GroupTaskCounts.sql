-- Task counts by state, with their progress weights and latest completion, for a page of groups. Each group is
-- one probe of the group index (text_elements: an estimate of one row; OFFSET 0 keeps the probe whole): with the
-- ids as one "= ANY" filter, the generic plan priced every group at the table's average and, where a few groups
-- hold most tasks, read the whole table even for a group of one task (0.68 s at 4.8M tasks).
SELECT g.id, t.state::text, count(*)::int, coalesce(sum(t.progress_weight), 0), max(t.completed_at)
FROM text_elements(CAST(:ids AS text[])) AS g(id)
CROSS JOIN LATERAL (
  SELECT t.state, t.progress_weight, t.completed_at FROM task t WHERE t.group_id = g.id OFFSET 0) t
GROUP BY g.id, t.state
