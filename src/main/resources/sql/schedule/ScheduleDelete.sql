-- Deletes a schedule and its history; the groups it created stay.
DELETE FROM schedule WHERE id = :id
