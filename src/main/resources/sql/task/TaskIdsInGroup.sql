-- A group's task ids, optionally only the failed ones or only those that are not seeds.
SELECT id FROM task
WHERE group_id = :groupId
  AND (NOT :failedOnly OR state = 'failed')
  AND (NOT :nonSeedOnly OR NOT is_seed)
ORDER BY id
