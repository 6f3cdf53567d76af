package io.crewjvm.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps how each task's release ended (and logs everything, for when a test fails). */
final class RecordingListener implements TaskListener {

    private final TaskLog log = TaskLog.toLogger();
    private final Map<String, Released> released = new ConcurrentHashMap<>();
    private final List<String> troubles = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void taken(String workerId, LeasedTask task) {
        log.taken(workerId, task);
    }

    @Override
    public void released(String workerId, LeasedTask task, Released outcome, Duration took) {
        log.released(workerId, task, outcome, took);
        released.put(task.id(), outcome);
    }

    @Override
    public void trouble(String workerId, String what, Throwable cause) {
        log.trouble(workerId, what, cause);
        troubles.add(what);
    }

    /** How the last release of the task ended, or null. */
    Released outcome(String taskId) {
        return released.get(taskId);
    }

    List<String> troubles() {
        return troubles;
    }
}
