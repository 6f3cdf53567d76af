-- Sets a channel's defaults (a null clears one); returns them as the API shows them.
INSERT INTO channel_setting AS s (channel, retry_policy, timeout_seconds)
VALUES (:channel, CAST(:retryPolicy AS json), :timeoutSeconds)
ON CONFLICT (channel) DO UPDATE SET retry_policy = excluded.retry_policy, timeout_seconds = excluded.timeout_seconds,
                                    updated_at = now()
RETURNING json_build_object('channel', s.channel, 'retryPolicy', s.retry_policy, 'timeoutSeconds', s.timeout_seconds)
