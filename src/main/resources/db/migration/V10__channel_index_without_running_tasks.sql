-- The channel listing's index leaves out running tasks. The state is in partial-index predicates, so no state
-- change is a HOT update and each writes an entry into every index that holds the row: leasing a task wrote one
-- into this index, about 4 % of the database time of a task's round trip. The listing reads the channel's running
-- tasks, as many as its leases, from the index of running tasks instead (TaskListInChannel.sql).
DROP INDEX task_channel_idx;
CREATE INDEX task_channel_idx ON task (channel, created_at DESC, seq DESC) WHERE state <> 'running';
