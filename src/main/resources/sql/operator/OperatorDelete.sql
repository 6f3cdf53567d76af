DELETE FROM operator WHERE id = :id
