-- Group pause / resume: paused tasks leave the ready index; leased ones may still be released.
UPDATE task SET is_paused = :paused WHERE group_id = :groupId AND is_paused <> :paused
