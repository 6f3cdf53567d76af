-- Whether :candidate is :id itself or one of its descendants: making it a parent of :id would close a cycle.
WITH RECURSIVE below AS (
  SELECT CAST(:id AS text) AS id
  UNION
  SELECT e.child_id FROM task_edge e JOIN below b ON e.parent_id = b.id
)
SELECT EXISTS (SELECT 1 FROM below WHERE id = ANY(:candidates))
