-- Replaces a task's parents (PUT parentIds).
WITH gone AS (DELETE FROM task_edge WHERE child_id = :id)
INSERT INTO task_edge (parent_id, child_id, ord)
SELECT p.parent_id, :id, p.ord - 1 FROM unnest(CAST(:parentIds AS text[])) WITH ORDINALITY AS p(parent_id, ord)
