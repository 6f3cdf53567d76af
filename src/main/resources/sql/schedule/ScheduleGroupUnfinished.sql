-- Whether a group still has tasks that can run (waiting, held, ready or running): the overlap policy's "the
-- previous group is unfinished". A group deleted since, or whose tasks all completed, failed or are blocked, is done.
SELECT EXISTS (SELECT 1 FROM task WHERE group_id = :groupId
               AND state IN ('waiting', 'scheduled', 'ready', 'running'))
