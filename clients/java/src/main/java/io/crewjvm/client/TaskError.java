package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failure with a structured error: the release records {@code output} (any JSON) as the task's error instead
 * of the message, and may pause the task's workgroup. Any other exception fails the attempt with its message.
 */
public class TaskError extends Exception {

    private final transient JsonNode output;
    private final int workgroupDelayInSeconds;

    public TaskError(String message) {
        this(message, null, 0);
    }

    /** @param output recorded as the error (a map, a record, a {@link JsonNode}...); the message when null */
    public TaskError(String message, Object output) {
        this(message, output == null ? null : Json.tree(output), 0);
    }

    private TaskError(String message, JsonNode output, int workgroupDelayInSeconds) {
        super(message);
        this.output = output;
        this.workgroupDelayInSeconds = workgroupDelayInSeconds;
    }

    /**
     * The same error, pausing every task of the task's workgroup for this long: a rate limit. When the task has a
     * workgroup, this failure costs it no attempt; it runs again when the pause ends.
     */
    public TaskError withWorkgroupDelay(int seconds) {
        TaskError delayed = new TaskError(getMessage(), output, TaskResult.nonNegative(seconds));
        delayed.setStackTrace(getStackTrace());
        return delayed;
    }

    /** The structured error, or null when the message is the error. */
    public JsonNode output() {
        return output;
    }

    public int workgroupDelayInSeconds() {
        return workgroupDelayInSeconds;
    }
}
