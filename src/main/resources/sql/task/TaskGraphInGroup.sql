-- A group's DAG in one compact document, for drawing it: each task's id, name, channel, state, paused flag and
-- parent ids (parents may live in other groups), oldest first, at most :limit tasks. No row when the group does
-- not exist. One index scan of the group's tasks and one probe of task_edge per task; no task documents are built.
SELECT json_build_object(
         '_id', g.id,
         'totalTasks', (SELECT count(*) FROM task c WHERE c.group_id = g.id),
         'tasks', coalesce((
           SELECT json_agg(json_build_object('_id', t.id, 'name', t.name, 'channel', t.channel, 'state', t.state,
                                             'isPaused', t.is_paused, 'parentIds', coalesce(p.ids, '[]'::json))
                           ORDER BY t.seq)
           FROM (SELECT * FROM task WHERE group_id = g.id ORDER BY seq LIMIT :limit) t
           LEFT JOIN LATERAL (SELECT json_agg(e.parent_id ORDER BY e.ord) AS ids
                              FROM task_edge e WHERE e.child_id = t.id) p ON true), '[]'::json))
FROM task_group g
WHERE g.id = :groupId
