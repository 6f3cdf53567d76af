-- A workgroup and every workgroup below it (its descendants through parent).
WITH RECURSIVE below(name, depth) AS (
  SELECT CAST(:workgroup AS text), 0
  UNION
  SELECT w.name, b.depth + 1 FROM workgroup w JOIN below b ON w.parent = b.name WHERE b.depth < 16
)
SELECT DISTINCT name FROM below
