package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Backoff;
import io.crewjvm.client.CrewApiException;
import io.crewjvm.client.CrewClient;
import io.crewjvm.client.TaskLog;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Follows a task group until it is complete: a progress line whenever its counts change (and every
 * {@code QUIET} otherwise), then the outcome as an exit code, with the reason on the error stream. While tasks
 * wait on the clock (a childrenDelayInSeconds, a runAfter, a workgroup's pause, an error delay), the line says so
 * with the time left, e.g. {@code running: 3/7 complete (43 %), scheduled 1, waiting 3; waiting: 4 children of
 * "Task C" start in 6 s (childrenDelayInSeconds)}, and is printed again every {@code COUNTDOWN}.
 */
public final class GroupFollower {

    public static final int COMPLETE = 0;
    public static final int FAILED = 1;
    public static final int TIMED_OUT = 3;
    public static final int UNREACHABLE = 4;

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration QUIET = Duration.ofSeconds(10);
    /** While tasks wait on the clock, the line (with the time left) is printed again this often. */
    private static final Duration COUNTDOWN = Duration.ofSeconds(5);
    /** The tasks of a group are read again at most this often while its counts stay the same. */
    private static final Duration TASKS_AGE = Duration.ofSeconds(2);
    /** Larger groups are followed by their counts only. */
    static final int EXPLAIN_UP_TO = 1000;
    private static final Pattern SECONDS = Pattern.compile("\\d+(?: to \\d+)? s\\b");
    /** How long the service may be out of reach before the follower gives up. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int ERROR_LENGTH = 300;

    private final CrewClient client;
    private final PrintStream out;
    private final PrintStream err;

    public GroupFollower(CrewClient client, PrintStream out, PrintStream err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    /** One of {@link #COMPLETE}, {@link #FAILED}, {@link #TIMED_OUT}, {@link #UNREACHABLE}. */
    public int follow(String groupId, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long unreachableSince = 0;
        String last = null;
        String lastShape = null;
        long lastPrinted = 0;
        Waiting waiting = new Waiting();
        Backoff backoff = new Backoff(POLL, Duration.ofSeconds(5));
        while (true) {
            long now = System.nanoTime();
            if (now - start > timeout.toNanos()) {
                err.println("Timed out after " + timeout.toSeconds() + " s: the group is " + (last == null ? "unknown" : last));
                return TIMED_OUT;
            }
            JsonNode group;
            try {
                group = client.get("api/v1/task_group/" + groupId);
                unreachableSince = 0;
                backoff.reset();
            } catch (IOException | CrewApiException e) {
                if (e instanceof CrewApiException api && !api.isServerError()) {
                    err.println("The group cannot be followed: " + api.getMessage());
                    return UNREACHABLE;
                }
                unreachableSince = unreachableSince == 0 ? now : unreachableSince;
                if (now - unreachableSince > PATIENCE.toNanos()) {
                    err.println("The service at " + client.url() + " is out of reach: " + e);
                    return UNREACHABLE;
                }
                Thread.sleep(backoff.next().toMillis());
                continue;
            }
            String status = group.path("status").asText();
            String counts = progress(group);
            List<String> reasons = waiting.reasons(groupId, group, counts, now);
            String line = reasons.isEmpty() ? counts : counts + "; waiting: " + String.join("; ", reasons);
            // A countdown alone is news every few seconds; the rest, when it changes.
            String shape = SECONDS.matcher(line).replaceAll("# s");
            if (!shape.equals(lastShape) || now - lastPrinted > (reasons.isEmpty() ? QUIET : COUNTDOWN).toNanos()) {
                out.printf(Locale.ROOT, "[%4d s] %s%n", Duration.ofNanos(now - start).toSeconds(), line);
                lastShape = shape;
                lastPrinted = now;
            }
            last = line;
            if (status.equals("complete")) {
                return COMPLETE;
            }
            if (status.equals("failed")) {
                err.println("The group failed:");
                failures(groupId).forEach(reason -> err.println("  " + reason));
                return FAILED;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** E.g. {@code running: 3/7 complete (43 %), ready 1, running 1, scheduled 2}. */
    static String progress(JsonNode group) {
        StringBuilder line = new StringBuilder(group.path("status").asText()).append(": ")
                .append(group.path("taskCounts").path("complete").asInt()).append('/')
                .append(group.path("totalTasks").asInt()).append(" complete (")
                .append(Math.round(group.path("progress").asDouble() * 100)).append(" %)");
        for (Map.Entry<String, JsonNode> state : group.path("taskCounts").properties()) {
            if (!state.getKey().equals("complete") && state.getValue().asInt() > 0) {
                line.append(", ").append(state.getKey()).append(' ').append(state.getValue().asInt());
            }
        }
        return line.toString();
    }

    /**
     * Why the tasks that have not started wait, when they wait on the clock (see {@link WaitReasons}): the group's
     * tasks are read when its counts change, or every {@code TASKS_AGE} (and the workgroups when one of its tasks
     * has a workgroup). Nothing when nothing is scheduled or waiting, for groups of more than {@code
     * EXPLAIN_UP_TO} tasks, or when they could not be read (the progress line goes on without it).
     */
    private final class Waiting {

        private JsonNode tasks;
        private Map<String, WaitReasons.Pause> pauses = Map.of();
        private String readFor;
        private long readAt;

        List<String> reasons(String groupId, JsonNode group, String counts, long now) throws InterruptedException {
            JsonNode byState = group.path("taskCounts");
            if (byState.path("scheduled").asInt() + byState.path("waiting").asInt() == 0
                    || group.path("totalTasks").asInt() > EXPLAIN_UP_TO) {
                tasks = null;
                return List.of();
            }
            if (tasks == null || !counts.equals(readFor) || now - readAt > TASKS_AGE.toNanos()) {
                try {
                    tasks = client.get("api/v1/task_group/" + groupId + "/tasks");
                    pauses = WaitReasons.anyInWorkgroup(tasks)
                            ? WaitReasons.pauses(client.get("api/v1/workgroups")) : Map.of();
                    readFor = counts;
                    readAt = now;
                } catch (IOException | CrewApiException unread) {
                    tasks = null;
                    return List.of();
                }
            }
            return WaitReasons.of(tasks, pauses, Instant.now());
        }
    }

    /** The failed tasks with their last error, and the tasks blocked behind them. */
    private List<String> failures(String groupId) {
        List<String> reasons = new ArrayList<>();
        try {
            for (JsonNode task : client.get("api/v1/task_group/" + groupId + "/tasks")) {
                String state = task.path("state").asText();
                String name = TaskLog.quoted(task.path("name").asText(null)) + " ("
                        + task.path("channel").asText() + ")";
                if (state.equals("failed")) {
                    JsonNode errors = task.path("errors");
                    JsonNode lastError = errors.size() == 0 ? null : errors.get(errors.size() - 1);
                    String error = lastError == null ? "no error recorded"
                            : lastError.isTextual() ? lastError.asText() : lastError.toString();
                    reasons.add("failed: " + name + ": " + (error.length() > ERROR_LENGTH
                            ? error.substring(0, ERROR_LENGTH) + "..." : error));
                } else if (state.equals("blocked")) {
                    reasons.add("blocked by a failed ancestor: " + name);
                }
            }
        } catch (IOException | CrewApiException e) {
            reasons.add("(the tasks could not be read: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reasons;
    }
}
