-- The parent edges of newly created tasks, keeping each task's parentIds order.
INSERT INTO task_edge (parent_id, child_id, ord)
SELECT p.parent_id, n.id, p.ord - 1
FROM json_to_recordset(CAST(:tasks AS json)) AS n(id text, parent_ids text[])
CROSS JOIN LATERAL unnest(n.parent_ids) WITH ORDINALITY AS p(parent_id, ord)
