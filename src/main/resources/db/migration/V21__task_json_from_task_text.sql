-- One definition of a task's wire document: task_text (V18), which every read uses. task_json stays for SQL users
-- (reports, psql) as task_text's document typed json, instead of a PL/pgSQL copy of its own (V1, V4, V7), and
-- task_document (V7, V9), which only that copy called, goes.
CREATE OR REPLACE FUNCTION task_json(t task) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT document::json FROM task_text(t)
$$;
DROP FUNCTION task_document(task, json);
