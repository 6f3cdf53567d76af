package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.CrewTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated CreateTask (or release child): Crew's fields and defaults, with Crew's falsy-default bugs fixed
 * (an attempt count of 0 is rejected, a progress weight of 0 is kept), and the additions: a retry policy and an
 * execution timeout (null: the channel's, else Crew's rule), and whether it runs once its parents are done. Read from a request by {@link TaskRequests}.
 */
public record NewTask(String id, String name, String channel, String workgroup, String key, int priority,
                      Instant runAfter, int remainingAttempts, int errorDelayInSeconds, Integer leaseSeconds,
                      boolean isSeed, double progressWeight, Integer rateUnits, JsonNode input,
                      List<String> parentIds, RetryPolicy retryPolicy, Integer timeoutSeconds,
                      boolean runsWhenParentsDone) {

    public static final int DEFAULT_ATTEMPTS = 5;
    public static final int DEFAULT_ERROR_DELAY = 30;

    /** The same task with its parents decided (continuation children are wired after validation). */
    public NewTask withParents(List<String> parents) {
        return new NewTask(id, name, channel, workgroup, key, priority, runAfter, remainingAttempts,
                errorDelayInSeconds, leaseSeconds, isSeed, progressWeight, rateUnits, input, List.copyOf(parents),
                retryPolicy, timeoutSeconds, runsWhenParentsDone);
    }

    /** The task as a row of TaskInsert.sql, in the given group. */
    ObjectNode toRow(String groupId) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("id", id);
        row.put("group_id", groupId);
        row.put("name", name);
        row.put("channel", channel);
        row.put("workgroup", workgroup);
        row.put("key", key);
        row.put("priority", priority);
        row.put("run_after", runAfter == null ? null : CrewTime.format(runAfter));
        row.put("remaining_attempts", remainingAttempts);
        row.put("error_delay_seconds", errorDelayInSeconds);
        row.put("lease_seconds", leaseSeconds);
        row.put("is_seed", isSeed);
        row.put("progress_weight", progressWeight);
        row.put("rate_units", rateUnits);
        row.set("input", input);
        row.set("retry_policy", retryPolicy == null ? null : retryPolicy.toJson());
        row.put("timeout_seconds", timeoutSeconds);
        row.put("runs_when_parents_done", runsWhenParentsDone);
        row.set("parent_ids", JsonNodeFactory.instance.arrayNode().addAll(
                new ArrayList<>(parentIds.stream().map(JsonNodeFactory.instance::textNode).toList())));
        return row;
    }
}
