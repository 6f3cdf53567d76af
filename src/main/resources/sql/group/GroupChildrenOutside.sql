-- Tasks of other groups that have a parent in this group: they survive its deletion and must be recounted.
SELECT DISTINCT e.child_id
FROM task p JOIN task_edge e ON e.parent_id = p.id JOIN task c ON c.id = e.child_id
WHERE p.group_id = :id AND c.group_id <> :id
