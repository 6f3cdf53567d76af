-- Closing an attempt changes finished_at, which the partial index on open attempts depended on: every close was
-- a non-HOT update writing a new entry into each index of the ledger. Open attempts are found through the
-- primary key (task_id, attempt) anyway — a task has a handful of attempts — so the index only cost writes.
DROP INDEX task_attempt_open_idx;
