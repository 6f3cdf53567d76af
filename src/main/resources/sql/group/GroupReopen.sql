-- A group with new or revived work is no longer complete.
UPDATE task_group SET completed_at = NULL WHERE id = ANY(:ids) AND completed_at IS NOT NULL
