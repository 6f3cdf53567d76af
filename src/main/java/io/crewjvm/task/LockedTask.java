package io.crewjvm.task;

/** A task row locked for a state change, with what the change needs to decide. */
public record LockedTask(String id, String groupId, TaskState state, String assignedTo, int attempt, String key,
                         String channel, String workgroup, int remainingAttempts) {

    public boolean isLeasedTo(String workerId, Integer attempt) {
        return state == TaskState.running && workerId.equals(assignedTo)
                && (attempt == null || attempt == this.attempt);
    }
}
