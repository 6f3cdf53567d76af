-- A workgroup's chain and its running count read the workgroup table by key, however many workgroups it holds.
--
-- Thousands of ad accounts under a few apps made two plans read the whole table: workgroup_chain's step to the
-- parent was planned as a hash join (the planner cannot tell how many rows a recursive step carries), which reads
-- every workgroup for each call (each task created, each waitingFor); and workgroup_running's check for children,
-- where thousands of accounts share a few parents, was planned as a scan expecting to meet a child soon, which
-- reads every row for an account (it has none) at each end of a capped lease.

-- The parent is read in a sub-select the planner keeps (OFFSET 0): one probe of workgroup_pkey per step.
CREATE OR REPLACE FUNCTION workgroup_chain(workgroup_name text) RETURNS SETOF workgroup LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain AS (
    SELECT w, 0 AS depth FROM workgroup w WHERE w.name = workgroup_name
    UNION ALL
    SELECT x.p, c.depth + 1
    FROM chain c CROSS JOIN LATERAL (SELECT p FROM workgroup p WHERE p.name = (c.w).parent OFFSET 0) x
    WHERE c.depth < 16
  )
  SELECT (c.w).* FROM chain c
$$;

-- Whether a workgroup has children: the first parent name from its own on, one probe of workgroup_parent_idx.
CREATE FUNCTION workgroup_has_children(workgroup_name text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT min(b.parent) FROM workgroup b WHERE b.parent >= workgroup_name) IS NOT DISTINCT FROM workgroup_name
$$;

CREATE OR REPLACE FUNCTION workgroup_running(w workgroup) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF NOT workgroup_has_children(w.name) THEN
    RETURN (SELECT count(*) FROM task t WHERE t.state = 'running' AND t.throttled AND t.workgroup = w.name);
  END IF;
  RETURN (SELECT count(*) FROM task t
          WHERE t.state = 'running' AND t.throttled AND t.workgroup IN (SELECT workgroup_below(w.name)));
END
$$;
