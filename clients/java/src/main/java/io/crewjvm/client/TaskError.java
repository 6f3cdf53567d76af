package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failure with a structured error: the release records {@code output} (any JSON) as the task's error instead
 * of the message, and may pause the task's workgroup, or say that retrying is pointless ({@link #permanent}). Any
 * other exception fails the attempt with its message.
 */
public class TaskError extends Exception {

    private final transient JsonNode output;
    private final int workgroupDelayInSeconds;
    private final boolean retryable;
    private final WorkgroupBudget workgroupBudget;

    public TaskError(String message) {
        this(message, null, 0, true, null);
    }

    /** @param output recorded as the error (a map, a record, a {@link JsonNode}...); the message when null */
    public TaskError(String message, Object output) {
        this(message, output == null ? null : Json.tree(output), 0, true, null);
    }

    private TaskError(String message, JsonNode output, int workgroupDelayInSeconds, boolean retryable,
                      WorkgroupBudget workgroupBudget) {
        super(message);
        this.output = output;
        this.workgroupDelayInSeconds = workgroupDelayInSeconds;
        this.retryable = retryable;
        this.workgroupBudget = workgroupBudget;
    }

    /**
     * An error that will never go away (a request the API will always refuse): the task fails for good at once,
     * whatever attempts it has left (the release says {@code "retryable": false}).
     */
    public static TaskError permanent(String message) {
        return new TaskError(message, null, 0, false, null);
    }

    /** A permanent error recorded as {@code output} (see {@link #permanent(String)}). */
    public static TaskError permanent(String message, Object output) {
        return new TaskError(message, output == null ? null : Json.tree(output), 0, false, null);
    }

    /** False for a {@link #permanent} error: the task is not retried. */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * The same error, pausing every task of the task's workgroup for this long: a rate limit. When the task has a
     * workgroup, this failure costs it no attempt; it runs again when the pause ends.
     */
    public TaskError withWorkgroupDelay(int seconds) {
        TaskError delayed = new TaskError(getMessage(), output, TaskResult.nonNegative(seconds), retryable,
                workgroupBudget);
        delayed.setStackTrace(getStackTrace());
        return delayed;
    }

    /**
     * The same error, reporting what the API said is left of the workgroup's budget (a 429's headers): the
     * service lowers the budget to it, and with nothing left this failure costs the task no attempt.
     */
    public TaskError withWorkgroupBudget(double remaining, int resetInSeconds) {
        TaskError reported = new TaskError(getMessage(), output, workgroupDelayInSeconds, retryable,
                new WorkgroupBudget(remaining, resetInSeconds));
        reported.setStackTrace(getStackTrace());
        return reported;
    }

    /** The reported budget, or null. */
    public WorkgroupBudget workgroupBudget() {
        return workgroupBudget;
    }

    /** The structured error, or null when the message is the error. */
    public JsonNode output() {
        return output;
    }

    public int workgroupDelayInSeconds() {
        return workgroupDelayInSeconds;
    }
}
