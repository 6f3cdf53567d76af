SELECT EXISTS (SELECT 1 FROM task WHERE group_id = :groupId AND is_seed)
