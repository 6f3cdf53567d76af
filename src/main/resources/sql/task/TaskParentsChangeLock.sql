-- Taken by a PUT that gives a task new parents, before any row lock, and held until it commits: two such changes
-- could each pass the cycle check (TaskIsAncestor reads committed edges only) and close a cycle together, through
-- tasks neither of them locks. Such changes are rare administrative edits, so they take turns.
SELECT pg_advisory_xact_lock(hashtext('crew.task_parents_change'))
