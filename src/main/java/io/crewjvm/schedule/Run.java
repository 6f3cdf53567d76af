package io.crewjvm.schedule;

import java.time.Instant;

/** A fire time done: the group it created, or why it created none; {@code manual} for a run now. */
record Run(Instant fireTime, String taskGroupId, String skipped, boolean manual) {
}
