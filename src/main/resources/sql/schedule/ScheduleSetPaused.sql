-- Pause or resume; a resumed schedule counts from now (its next fire time is given), without catching up.
UPDATE schedule SET is_paused = :isPaused, next_fire_at = :nextFireAt, updated_at = now() WHERE id = :id
