-- A task and everything below it, in any group.
WITH RECURSIVE below AS (
  SELECT CAST(:id AS text) AS id
  UNION
  SELECT e.child_id FROM task_edge e JOIN below b ON e.parent_id = b.id
)
SELECT id FROM below
