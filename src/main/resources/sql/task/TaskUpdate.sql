-- PUT /task/:id: only the fields Crew lets a client change; :set<Field> says whether the field was sent.
UPDATE task SET
  name                = CASE WHEN :setName THEN :name ELSE name END,
  channel             = CASE WHEN :setChannel THEN :channel ELSE channel END,
  workgroup           = CASE WHEN :setWorkgroup THEN :workgroup ELSE workgroup END,
  key                 = CASE WHEN :setKey THEN :key ELSE key END,
  priority            = CASE WHEN :setPriority THEN :priority ELSE priority END,
  run_after           = CASE WHEN :setRunAfter THEN :runAfter ELSE run_after END,
  remaining_attempts  = CASE WHEN :setRemainingAttempts THEN :remainingAttempts ELSE remaining_attempts END,
  error_delay_seconds = CASE WHEN :setErrorDelay THEN :errorDelay ELSE error_delay_seconds END,
  lease_seconds       = CASE WHEN :setLeaseSeconds THEN :leaseSeconds ELSE lease_seconds END,
  is_seed             = CASE WHEN :setIsSeed THEN :isSeed ELSE is_seed END,
  progress_weight     = CASE WHEN :setProgressWeight THEN :progressWeight ELSE progress_weight END,
  input               = CASE WHEN :setInput THEN CAST(:input AS json) ELSE input END,
  -- A new channel or workgroup may put the task on the other acquire path (V23).
  throttled           = task_is_throttled(CASE WHEN :setChannel THEN :channel ELSE channel END,
                                          CASE WHEN :setWorkgroup THEN :workgroup ELSE workgroup END)
WHERE id = :id
