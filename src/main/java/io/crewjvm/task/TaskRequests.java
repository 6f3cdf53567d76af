package io.crewjvm.task;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Limits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Task requests read from their bodies into commands: a task to create (a CreateTask, or a release's child), a
 * change of a task, and the attempts of a reset or retry (of a task or a group).
 */
public final class TaskRequests {

    private TaskRequests() {
    }

    /**
     * A validated CreateTask: Crew's fields and defaults, with Crew's falsy-default bugs fixed (an attempt count of
     * 0 is rejected, a progress weight of 0 is kept).
     */
    public static NewTask newTask(Body body) {
        return newTask(body, body.ids("parentIds"));
    }

    /** A task whose parents are decided by the caller (continuation children). */
    public static NewTask newTask(Body body, List<String> parentIds) {
        Integer attempts = body.integer("remainingAttempts");
        if (attempts != null && attempts < 1) {
            throw ApiException.badRequest("remainingAttempts must be at least 1");
        }
        Double weight = body.number("progressWeight");
        if (weight != null && weight < 0) {
            throw ApiException.badRequest("progressWeight must not be negative");
        }
        Integer priority = body.integer("priority");
        Integer errorDelay = body.integer("errorDelayInSeconds", 0, Integer.MAX_VALUE);
        Boolean seed = body.bool("isSeed");
        return new NewTask(Ids.newId(),
                body.requiredString("name", "name is required"),
                IndexedText.check("channel", body.requiredString("channel", "channel is required")),
                IndexedText.check("workgroup", blankToNull(body.string("workgroup"))),
                IndexedText.check("key", blankToNull(body.string("key"))),
                priority == null ? 0 : priority,
                body.time("runAfter"),
                attempts == null ? NewTask.DEFAULT_ATTEMPTS : attempts,
                errorDelay == null ? NewTask.DEFAULT_ERROR_DELAY : errorDelay,
                body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS),
                seed != null && seed,
                weight == null ? 1 : weight,
                body.integer("rateUnits", 1, Limits.MAX_RATE_UNITS),
                body.json("input"),
                parentIds == null ? List.of() : List.copyOf(parentIds),
                retryPolicy(body.object("retryPolicy")),
                body.integer("timeoutSeconds", 1, Limits.MAX_LEASE_SECONDS),
                runsWhenParentsDone(body.string("runWhen")));
    }

    /**
     * A {@code retryPolicy} object, null when absent: {@code backoff} is {@code fixed} or {@code exponential};
     * exponential's {@code initialDelaySeconds}, {@code factor} and {@code maxDelaySeconds} default to 1, 2 and
     * 3600; {@code jitter} is a fraction from 0 (the default) to 1.
     */
    public static RetryPolicy retryPolicy(Body policy) {
        if (policy == null) {
            return null;
        }
        policy.node().fieldNames().forEachRemaining(field -> {
            if (!RETRY_POLICY_FIELDS.contains(field)) {
                throw ApiException.badRequest("retryPolicy has no field " + field + "; its fields are "
                        + String.join(", ", RETRY_POLICY_FIELDS));
            }
        });
        String backoff = policy.requiredString("backoff", "retryPolicy.backoff is required: fixed or exponential");
        boolean exponential = RetryPolicy.EXPONENTIAL.equals(backoff);
        if (!exponential && !RetryPolicy.FIXED.equals(backoff)) {
            throw ApiException.badRequest("retryPolicy.backoff must be fixed or exponential");
        }
        if (!exponential && (policy.has("initialDelaySeconds") || policy.has("factor")
                || policy.has("maxDelaySeconds"))) {
            throw ApiException.badRequest("retryPolicy: a fixed backoff waits errorDelayInSeconds; only jitter "
                    + "goes with it");
        }
        double initial = number(policy, "initialDelaySeconds", 0, Limits.MAX_DELAY_SECONDS,
                RetryPolicy.DEFAULT_INITIAL_DELAY);
        if (initial == 0) {
            throw ApiException.badRequest("retryPolicy.initialDelaySeconds must be more than 0");
        }
        double factor = number(policy, "factor", 1, RetryPolicy.MAX_FACTOR, RetryPolicy.DEFAULT_FACTOR);
        double max = number(policy, "maxDelaySeconds", initial, Limits.MAX_DELAY_SECONDS,
                Math.max(initial, RetryPolicy.DEFAULT_MAX_DELAY));
        double jitter = number(policy, "jitter", 0, 1, 0);
        return new RetryPolicy(backoff, initial, factor, max, jitter);
    }

    private static final List<String> RETRY_POLICY_FIELDS =
            List.of("backoff", "initialDelaySeconds", "factor", "maxDelaySeconds", "jitter");
    private static final String RUN_WHEN_PARENTS_COMPLETE = "parentsComplete";
    private static final String RUN_WHEN_PARENTS_DONE = "parentsDone";

    /** A number field of the policy from {@code min} to {@code max}, else {@code fallback} when absent. */
    private static double number(Body policy, String field, double min, double max, double fallback) {
        Double value = policy.number(field);
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ApiException.badRequest("retryPolicy." + field + " must be between " + plain(min) + " and "
                    + plain(max));
        }
        return value;
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** {@code runWhen}: {@code parentsComplete} (the default, Crew's rule) or {@code parentsDone}. */
    private static boolean runsWhenParentsDone(String runWhen) {
        if (runWhen == null || runWhen.equals(RUN_WHEN_PARENTS_COMPLETE)) {
            return false;
        }
        if (runWhen.equals(RUN_WHEN_PARENTS_DONE)) {
            return true;
        }
        throw ApiException.badRequest("runWhen must be " + RUN_WHEN_PARENTS_COMPLETE + " or " + RUN_WHEN_PARENTS_DONE);
    }

    /** The tasks of a bulk create ({@code {tasks: [...]}}), between 1 and {@code max}, wired among themselves. */
    public static List<NewTask> newTasks(Body body, int max) {
        List<Body> items = body.objects("tasks");
        if (items.isEmpty() || items.size() > max) {
            throw ApiException.badRequest("tasks must be an array of 1 to " + max + " tasks");
        }
        return ChildRequests.ofBatch(items);
    }

    /**
     * A PUT /task/:id: every field sent is validated before anything is written; a field that is not sent is left
     * as it is.
     */
    public static TaskPatch patch(String id, Body body) {
        Integer attempts = body.has("remainingAttempts") ? body.integer("remainingAttempts", 0, Integer.MAX_VALUE)
                : null;
        if (body.has("remainingAttempts") && attempts == null) {
            throw ApiException.badRequest("remainingAttempts must be an integer");
        }
        List<String> parents = body.has("parentIds") ? body.ids("parentIds") : null;
        if (parents != null && parents.contains(id)) {
            throw ApiException.badRequest("A task cannot be its own parent");
        }
        String name = nonEmpty(body, "name");
        String channel = IndexedText.check("channel", nonEmpty(body, "channel"));
        String workgroup = IndexedText.check("workgroup", blankToNull(body.string("workgroup")));
        String key = IndexedText.check("key", blankToNull(body.string("key")));
        Integer priority = body.integer("priority");
        Instant runAfter = body.time("runAfter");
        Integer errorDelay = body.integer("errorDelayInSeconds", 0, Integer.MAX_VALUE);
        Integer leaseSeconds = body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS);
        Boolean seed = body.bool("isSeed");
        Double weight = body.number("progressWeight");
        if (weight != null && weight < 0) {
            throw ApiException.badRequest("progressWeight must not be negative");
        }
        return new TaskPatch(id, attempts, body.has("parentIds") && parents == null ? List.of() : parents,
                body.has("name"), name, body.has("channel"), channel,
                body.has("workgroup"), workgroup, body.has("key"), key,
                body.has("priority"), priority, body.has("runAfter"), runAfter,
                errorDelay, body.has("leaseSeconds"), leaseSeconds,
                body.has("isSeed"), seed, body.has("progressWeight"), weight,
                body.has("input"), body.json("input"));
    }

    /** A reset: {@code remainingAttempts}, an integer of at least 1, else {@code defaultAttempts}. */
    public static ResetCommand reset(Body body, int defaultAttempts) {
        return new ResetCommand(attempts(body, defaultAttempts));
    }

    /** A retry: {@code remainingAttempts}, an integer of at least 1, else {@code defaultAttempts}. */
    public static RetryCommand retry(Body body, int defaultAttempts) {
        return new RetryCommand(attempts(body, defaultAttempts));
    }

    /** {@code remainingAttempts} of a reset or retry body: an integer of at least 1. */
    private static int attempts(Body body, int fallback) {
        Integer attempts = body.integer("remainingAttempts", 1, 1_000_000);
        return attempts == null ? fallback : attempts;
    }

    private static String nonEmpty(Body body, String field) {
        if (!body.has(field)) {
            return null;
        }
        String value = body.string(field);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(field + " must be a non-empty string");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
