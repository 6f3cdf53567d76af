-- Task retry on a task that has not failed: sets (Crew: does not add) its remaining attempts.
UPDATE task SET remaining_attempts = :attempts WHERE id = :id AND state <> 'failed'
