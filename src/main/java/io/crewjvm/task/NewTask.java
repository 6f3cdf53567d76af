package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.CrewTime;
import io.crewjvm.api.Ids;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated CreateTask (or release child): Crew's fields and defaults, with Crew's falsy-default bugs fixed
 * (an attempt count of 0 is rejected, a progress weight of 0 is kept).
 */
public record NewTask(String id, String name, String channel, String workgroup, String key, int priority,
                      Instant runAfter, int remainingAttempts, int errorDelayInSeconds, Integer leaseSeconds,
                      boolean isSeed, double progressWeight, JsonNode input, List<String> parentIds) {

    public static final int DEFAULT_ATTEMPTS = 5;
    public static final int DEFAULT_ERROR_DELAY = 30;

    public static NewTask from(Body body) {
        return from(body, body.ids("parentIds"));
    }

    /** A task whose parents are decided by the caller (continuation children). */
    public static NewTask from(Body body, List<String> parentIds) {
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
                attempts == null ? DEFAULT_ATTEMPTS : attempts,
                errorDelay == null ? DEFAULT_ERROR_DELAY : errorDelay,
                body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS),
                seed != null && seed,
                weight == null ? 1 : weight,
                body.json("input"),
                parentIds == null ? List.of() : List.copyOf(parentIds));
    }

    /** The same task with its parents decided (continuation children are wired after validation). */
    public NewTask withParents(List<String> parents) {
        return new NewTask(id, name, channel, workgroup, key, priority, runAfter, remainingAttempts,
                errorDelayInSeconds, leaseSeconds, isSeed, progressWeight, input, List.copyOf(parents));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
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
        row.set("input", input);
        row.set("parent_ids", JsonNodeFactory.instance.arrayNode().addAll(
                new ArrayList<>(parentIds.stream().map(JsonNodeFactory.instance::textNode).toList())));
        return row;
    }
}
