-- PUT /channel/:name: the channel's acquire order across workgroups ('workgroup': fair, 'none': Crew's).
INSERT INTO channel_setting AS c (channel, fairness, updated_at) VALUES (:channel, :fairness, now())
ON CONFLICT (channel) DO UPDATE SET fairness = excluded.fairness, updated_at = now()
