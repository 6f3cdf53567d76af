-- A group's DAG in one compact document, for drawing it: each task's id, name, channel, state, paused flag, parent
-- ids (parents may live in other groups) and waitingFor (as in its document: what holds it, empty once it runs or
-- has finished), oldest first, at most :limit tasks. No row when the group does not exist. One index scan of the
-- group's tasks and one probe of task_edge per task; no task documents are built.
-- Each task is a row written by row_to_json and its parent ids an array written by array_to_json, both compact
-- (json_build_object and json_agg put spaces between tokens).
SELECT '{"_id":"' || g.id
  || '","totalTasks":' || (SELECT count(*) FROM task c WHERE c.group_id = g.id)
  || ',"tasks":[' || coalesce((
       SELECT string_agg(row_to_json(x)::text, ',' ORDER BY t.seq)
       FROM (SELECT * FROM task WHERE group_id = g.id ORDER BY seq LIMIT :limit) t
       CROSS JOIN LATERAL (
         SELECT t.id AS "_id", t.name, t.channel, t.state, t.is_paused AS "isPaused",
                coalesce((SELECT array_to_json(array_agg(e.parent_id ORDER BY e.ord))
                          FROM task_edge e WHERE e.child_id = t.id), '[]') AS "parentIds",
                -- The same rule as task_document_text (V24): only a task not yet running is held by anything.
                CAST(CASE WHEN t.state IN ('running', 'complete', 'failed', 'cancelled') THEN '[]'
                          ELSE task_waiting_for(t) END AS json) AS "waitingFor") x), '')
  || ']}'
FROM task_group g
WHERE g.id = :groupId
