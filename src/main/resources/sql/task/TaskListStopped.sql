-- Failed (or cancelled) tasks across groups, most recently ended first, optionally of one channel, of one
-- workgroup, ended since a time: a page of the view of failed work, or (without documents) the ids that a bulk
-- retry revives next. One ordered read of task_ended_idx, bounded by the state and the time (channel and workgroup
-- are checked on its rows, by design: a page reads as many failed tasks as it skips over, never the table).
SELECT t.id, CASE WHEN :documents THEN (SELECT d.document FROM task_text(t) d) END
FROM (SELECT * FROM task
      -- the list of states names the partial index: a generic plan cannot tell it from the parameter alone
      WHERE state IN ('failed', 'cancelled') AND state = CAST(:state AS task_state)
        AND ended_at >= coalesce(CAST(:since AS timestamptz), '-infinity')
        AND (CAST(:channel AS text) IS NULL OR channel = :channel)
        AND (CAST(:workgroup AS text) IS NULL OR workgroup = :workgroup)
      ORDER BY ended_at DESC, seq DESC
      LIMIT :limit OFFSET :skip) t
ORDER BY t.ended_at DESC, t.seq DESC
