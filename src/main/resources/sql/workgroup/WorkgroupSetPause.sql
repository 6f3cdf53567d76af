-- An operator pauses a workgroup until :until (NULL: resumes it now). Tasks are re-held by WorkgroupRehold.
INSERT INTO workgroup AS w (name, paused_until, reason, updated_at)
VALUES (:workgroup, :until, :reason, now())
ON CONFLICT (name) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason, updated_at = now()
