-- One task in Crew's wire shape.
SELECT task_json(t) FROM task t WHERE t.id = :id
