-- A group's task ids, optionally only those a retry revives (failed or cancelled) or only those that are not seeds.
SELECT id FROM task
WHERE group_id = :groupId
  AND (NOT :revivableOnly OR state IN ('failed', 'cancelled'))
  AND (NOT :nonSeedOnly OR NOT is_seed)
ORDER BY id
