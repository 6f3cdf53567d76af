-- Inputs of the hot statements with the row estimate of a typical call. A generic plan cannot see into a
-- parameter: PostgreSQL guesses 100 rows for json_to_recordset or json_array_elements and 10 for an unnest, and with
-- such a guess a join to `task` is planned as a hash join over a sequential scan of the table while the table is
-- small enough (tens of thousands of rows), at a cost that grows with the table for as long as the cached plan
-- lives. One row is what most calls bring (one release, one lease), and with it every join is a key probe.
-- STRICT keeps each function from being inlined, which would bring back the built-in's estimate.

-- The elements of a JSON array: the releases of a batch, the leases of an acquire, the requests of a
-- group-committed acquire.
CREATE FUNCTION json_elements(doc json) RETURNS SETOF json
  LANGUAGE sql STRICT IMMUTABLE PARALLEL SAFE ROWS 1
  AS 'SELECT json_array_elements(doc)';

-- The elements of a text array, in order (WITH ORDINALITY numbers them): the children an update finds by key.
CREATE FUNCTION text_elements(items text[]) RETURNS SETOF text
  LANGUAGE sql STRICT IMMUTABLE PARALLEL SAFE ROWS 1
  AS 'SELECT unnest(items)';
