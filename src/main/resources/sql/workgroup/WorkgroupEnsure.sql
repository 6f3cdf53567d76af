-- A row for a workgroup named as a parent: one that only tasks knew so far. Returns whether the workgroup is known
-- (it has a row, or unfinished tasks).
WITH known AS (
  SELECT EXISTS (SELECT 1 FROM workgroup WHERE name = :name)
      OR EXISTS (SELECT 1 FROM task WHERE workgroup = :name AND state <> 'complete') AS known
), created AS (
  INSERT INTO workgroup (name, updated_at) SELECT :name, now() FROM known WHERE known
  ON CONFLICT (name) DO NOTHING
)
SELECT known FROM known
