-- Replaces a task's parents (PUT parentIds) with :parentIds (distinct ids), in their order. The edges that stay
-- are kept in place (their position updated) and only the others are deleted: a DELETE of every edge in a WITH
-- clause is not seen by the INSERT of the same statement (every part of a statement reads one snapshot), so a
-- parent kept would be inserted over its own edge, a duplicate key. The delete and the upsert touch disjoint rows.
WITH gone AS (
  DELETE FROM task_edge WHERE child_id = :id AND parent_id <> ALL(CAST(:parentIds AS text[]))
)
INSERT INTO task_edge (parent_id, child_id, ord)
SELECT p.parent_id, :id, p.ord - 1 FROM unnest(CAST(:parentIds AS text[])) WITH ORDINALITY AS p(parent_id, ord)
ON CONFLICT (child_id, parent_id) DO UPDATE SET ord = EXCLUDED.ord WHERE task_edge.ord <> EXCLUDED.ord
