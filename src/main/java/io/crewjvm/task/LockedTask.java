package io.crewjvm.task;

/**
 * A task row locked for a state change, with what the change needs to decide; {@code overdue}: its running attempt
 * is past its deadline (timeoutSeconds), and the reclaimer will end it as timed out.
 */
public record LockedTask(String id, String groupId, TaskState state, String assignedTo, int attempt, String key,
                         String channel, String workgroup, int remainingAttempts, boolean overdue) {

    public boolean isLeasedTo(String workerId, Integer attempt) {
        return state == TaskState.running && workerId.equals(assignedTo)
                && (attempt == null || attempt == this.attempt);
    }
}
