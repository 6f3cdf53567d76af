-- Deletes up to :limit tasks of a group (edges and attempts cascade); returns how many went.
WITH chunk AS (SELECT id FROM task WHERE group_id = :groupId LIMIT :limit FOR UPDATE SKIP LOCKED)
DELETE FROM task t USING chunk WHERE t.id = chunk.id
