package io.crewjvm.group;

/** A validated PUT /task_group/:id: the new name when one was sent ({@code setsName}; null clears it). */
public record GroupRename(boolean setsName, String name) {
}
