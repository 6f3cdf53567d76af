-- Whether the group has an incomplete task that no release in flight can be finishing (cheap: stops at one).
SELECT EXISTS (SELECT 1 FROM task WHERE group_id = :id AND state NOT IN ('complete', 'running'))
