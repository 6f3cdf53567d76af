-- Task counts by state, with their progress weights and latest completion, for a page of groups.
SELECT group_id, state::text, count(*)::int, coalesce(sum(progress_weight), 0), max(completed_at)
FROM task WHERE group_id = ANY(:ids) GROUP BY group_id, state
