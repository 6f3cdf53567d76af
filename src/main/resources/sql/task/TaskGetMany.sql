-- Several tasks in Crew's wire shape, in creation order.
SELECT coalesce(json_agg(task_json(t) ORDER BY t.seq), '[]'::json) FROM task t WHERE t.id = ANY(:ids)
