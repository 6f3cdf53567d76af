-- One task in Crew's wire shape.
SELECT d.document FROM task t CROSS JOIN LATERAL task_text(t) d WHERE t.id = :id
