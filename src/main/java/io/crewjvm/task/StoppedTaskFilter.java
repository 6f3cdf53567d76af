package io.crewjvm.task;

import java.time.Instant;

/**
 * Which stopped tasks across groups a view or a bulk retry takes: those in {@code state} (failed or cancelled),
 * optionally of one channel and one workgroup, ended at or after {@code since}.
 */
public record StoppedTaskFilter(TaskState state, String channel, String workgroup, Instant since) {
}
