package io.crewjvm.group;

/** A validated POST /task_groups: an optional name, and whether the group starts paused. */
public record NewGroup(String name, boolean paused) {
}
