SELECT count(*) FROM operator
