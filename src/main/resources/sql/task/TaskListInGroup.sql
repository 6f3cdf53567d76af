-- A group's tasks, newest first (Crew's order), one row each (see TaskGetMany); a null limit means all.
SELECT d.document
FROM (SELECT * FROM task WHERE group_id = :groupId ORDER BY seq DESC LIMIT :limit OFFSET :skip) t
CROSS JOIN LATERAL task_text(t) d
ORDER BY t.seq DESC
