-- A channel's settings as a document (the defaults when it has none).
SELECT row_to_json(x)::text
FROM (SELECT CAST(:channel AS text) AS channel,
             coalesce((SELECT fairness FROM channel_setting WHERE channel = :channel), 'none') AS fairness) x
