package io.crewjvm.task;

/** A retry of a task or a group: failed tasks are given {@code attempts} again. */
public record RetryCommand(int attempts) {
}
