package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * When a failed attempt's task may run again (task_retry_at in SQL computes it): {@code fixed} waits the task's
 * {@code errorDelayInSeconds} (Crew's rule), {@code exponential} waits {@code initialDelaySeconds * factor ^ (n - 1)}
 * after the n-th error, at most {@code maxDelaySeconds}; {@code jitter} takes a random part of up to that fraction
 * off the delay. Stored with every field filled in.
 */
public record RetryPolicy(String backoff, double initialDelaySeconds, double factor, double maxDelaySeconds,
                          double jitter) {

    public static final String FIXED = "fixed";
    public static final String EXPONENTIAL = "exponential";
    static final double DEFAULT_INITIAL_DELAY = 1;
    static final double DEFAULT_FACTOR = 2;
    static final double DEFAULT_MAX_DELAY = 3600;
    /** The highest factor: keeps factor ^ n inside a double for every n the SQL function uses. */
    static final double MAX_FACTOR = 10;

    /** The policy as stored in {@code task.retry_policy} and shown in the task's document. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("backoff", backoff);
        if (EXPONENTIAL.equals(backoff)) {
            json.set("initialDelaySeconds", number(initialDelaySeconds));
            json.set("factor", number(factor));
            json.set("maxDelaySeconds", number(maxDelaySeconds));
        }
        return json.set("jitter", number(jitter));
    }

    /** A whole number as an integer (1, not 1.0), as the user most likely wrote it. */
    private static JsonNode number(double value) {
        return value == Math.rint(value) && Math.abs(value) < Long.MAX_VALUE
                ? JsonNodeFactory.instance.numberNode((long) value) : JsonNodeFactory.instance.numberNode(value);
    }
}
