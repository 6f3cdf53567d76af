-- Task counts by state, with their progress weights, for a page of groups.
SELECT group_id, state::text, count(*)::int, coalesce(sum(progress_weight), 0)
FROM task WHERE group_id = ANY(:ids) GROUP BY group_id, state
