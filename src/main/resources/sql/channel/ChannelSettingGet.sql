-- A channel's defaults as the API shows them; a channel without a row has none (both null).
SELECT json_build_object('channel', c.channel, 'retryPolicy', s.retry_policy, 'timeoutSeconds', s.timeout_seconds)
FROM (SELECT CAST(:channel AS text) AS channel) c
LEFT JOIN channel_setting s ON s.channel = c.channel
