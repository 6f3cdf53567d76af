package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Backoff;
import io.crewjvm.client.CrewApiException;
import io.crewjvm.client.CrewClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a task group until it is complete: a progress line whenever its counts change (and every
 * {@code QUIET} otherwise), then the outcome as an exit code, with the reason on the error stream.
 */
public final class GroupFollower {

    public static final int COMPLETE = 0;
    public static final int FAILED = 1;
    public static final int TIMED_OUT = 3;
    public static final int UNREACHABLE = 4;

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration QUIET = Duration.ofSeconds(10);
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
        long lastPrinted = 0;
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
            String line = progress(group);
            if (!line.equals(last) || now - lastPrinted > QUIET.toNanos()) {
                out.printf(Locale.ROOT, "[%4d s] %s%n", Duration.ofNanos(now - start).toSeconds(), line);
                last = line;
                lastPrinted = now;
            }
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

    /** The failed tasks with their last error, and the tasks blocked behind them. */
    private List<String> failures(String groupId) {
        List<String> reasons = new ArrayList<>();
        try {
            for (JsonNode task : client.get("api/v1/task_group/" + groupId + "/tasks")) {
                String state = task.path("state").asText();
                String name = "\"" + task.path("name").asText() + "\" (" + task.path("channel").asText() + ")";
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
