-- Nested workgroups hold their descendants: a pause of a workgroup or of any ancestor holds its tasks (task_waits),
-- and task_waiting_for says what holds a task (the task document's waitingFor, written into task_document_text by
-- V26).

CREATE OR REPLACE FUNCTION task_waits(parents_open bigint, parent_failed boolean, run_after timestamptz,
                                      workgroup_name text, OUT state task_state, OUT available_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  paused_until timestamptz;
BEGIN
  IF parents_open > 0 THEN
    state := CASE WHEN parent_failed THEN 'blocked' ELSE 'waiting' END;
    RETURN;
  END IF;
  IF workgroup_name IS NOT NULL THEN
    SELECT max(w.paused_until) INTO paused_until FROM workgroup_chain(workgroup_name) w;
  END IF;
  available_at := greatest(run_after, paused_until);
  IF available_at <= now() THEN
    available_at := NULL;
  END IF;
  state := CASE WHEN available_at IS NULL THEN 'ready' ELSE 'scheduled' END;
END
$$;

-- When a workgroup's bucket will hold `needed` units again: at the API's reported reset (plus the refill still
-- missing then), or after the refill that is missing now. Null when it holds them already or never refills.
CREATE FUNCTION workgroup_units_at(w workgroup, needed double precision) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN workgroup_units_left(w) >= needed THEN NULL
              WHEN w.units_at > now() AND w.rate_limit IS NULL THEN w.units_at
              WHEN w.units_at > now()
                THEN w.units_at + make_interval(secs => greatest(needed - w.units, 0) * w.rate_period_seconds
                                                        / w.rate_limit)
              WHEN w.rate_limit IS NULL OR needed > coalesce(w.rate_burst, w.rate_limit) THEN NULL
              ELSE now() + make_interval(secs => (needed - workgroup_units_left(w)) * w.rate_period_seconds
                                                 / w.rate_limit)
         END
$$;

-- What holds a task that is neither running nor finished, as a JSON array of {reason, workgroup, until}: its open
-- parents, its runAfter, its group's pause, a pause, a full cap or an empty budget of its workgroup or an ancestor.
CREATE FUNCTION task_waiting_for(t task) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT '[' || coalesce(string_agg(r.doc, ',' ORDER BY r.ord, r.name), '') || ']'
  FROM (
    SELECT 1 AS ord, '' AS name, '{"reason":"parents","parentsLeft":' || t.parents_left || '}' AS doc
    WHERE t.parents_left > 0
    UNION ALL
    SELECT 2, '', '{"reason":"runAfter","until":"' || crew_time(t.run_after) || '"}'
    WHERE t.run_after > now()
    UNION ALL
    SELECT 3, '', '{"reason":"groupPaused"}'
    WHERE t.is_paused
    UNION ALL
    -- The workgroup's chain is read once for its three kinds of hold.
    SELECT h.ord, c.name, h.doc
    FROM workgroup_chain(t.workgroup) c
    CROSS JOIN LATERAL (VALUES
      (4, CASE WHEN c.paused_until > now()
               THEN '{"reason":"workgroupPaused","workgroup":' || to_json(c.name)::text
                    || ',"until":"' || crew_time(c.paused_until) || '"}' END),
      (5, CASE WHEN t.throttled AND c.running >= c.max_running
               THEN '{"reason":"cap","workgroup":' || to_json(c.name)::text || ',"running":' || c.running
                    || ',"maxRunning":' || c.max_running || '}' END),
      (6, CASE WHEN t.throttled AND workgroup_units_left(c) < coalesce(t.rate_units, 1)
               THEN '{"reason":"budget","workgroup":' || to_json(c.name)::text || ',"until":'
                    || coalesce('"' || crew_time(workgroup_units_at(c, coalesce(t.rate_units, 1))) || '"', 'null')
                    || '}' END)) h(ord, doc)
    WHERE t.workgroup IS NOT NULL AND h.doc IS NOT NULL
  ) r
$$;
