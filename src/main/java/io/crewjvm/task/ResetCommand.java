package io.crewjvm.task;

/** A reset of a task or a group: the task (or every task) starts over with {@code attempts} remaining. */
public record ResetCommand(int attempts) {
}
