-- Whether another task of (:channel, :key) is running: a running task changed to that key would be a second
-- execution of it in flight, which task_running_key_uidx refuses.
SELECT EXISTS (
  SELECT 1 FROM task WHERE channel = :channel AND key = :key AND state = 'running' AND id <> :id)
