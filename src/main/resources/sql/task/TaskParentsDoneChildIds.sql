-- The children of the given tasks that run when their parents are done and have not started: their open-parents
-- counter follows their parents' ends (TaskRecount), not only their completions.
SELECT DISTINCT c.id
FROM text_elements(CAST(:ids AS text[])) AS p(id)
CROSS JOIN LATERAL (SELECT e.child_id FROM task_edge e WHERE e.parent_id = p.id OFFSET 0) e
CROSS JOIN LATERAL (SELECT c.id FROM task c
                    WHERE c.id = e.child_id AND c.runs_when_parents_done
                      AND c.state IN ('waiting', 'scheduled', 'ready') OFFSET 0) c
