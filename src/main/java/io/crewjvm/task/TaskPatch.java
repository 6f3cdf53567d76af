package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Limits;
import io.crewjvm.db.Query.Json;
import io.crewjvm.db.Query;
import java.time.Instant;
import java.util.List;

/**
 * A validated PUT /task/:id: the fields Crew lets a client change, each applied only when sent. Fields that
 * belong to the system (taskGroupId, isPaused, isComplete, output, errors, assignedTo, createdAt, _id...) and
 * unknown fields are ignored, as Crew ignores them; parentIds stay real edges.
 */
public record TaskPatch(String id, Body body, Integer remainingAttempts, List<String> parentIds) {

    public static TaskPatch from(String id, Body body) {
        Integer attempts = body.has("remainingAttempts") ? body.integer("remainingAttempts", 0, Integer.MAX_VALUE)
                : null;
        if (body.has("remainingAttempts") && attempts == null) {
            throw ApiException.badRequest("remainingAttempts must be an integer");
        }
        List<String> parents = body.has("parentIds") ? body.ids("parentIds") : null;
        if (parents != null && parents.contains(id)) {
            throw ApiException.badRequest("A task cannot be its own parent");
        }
        TaskPatch patch = new TaskPatch(id, body, attempts, body.has("parentIds") && parents == null ? List.of()
                : parents);
        patch.bindTo(null, true); // validates every field before anything is written
        return patch;
    }

    public boolean setsParents() {
        return parentIds != null;
    }

    /** The channel the task has after this change, given the one it has now. */
    String channelAfter(String current) {
        return body.has("channel") ? body.string("channel") : current;
    }

    /** The duplicate key the task has after this change (an empty key is none), given the one it has now. */
    String keyAfter(String current) {
        return body.has("key") ? emptyToNull(body.string("key")) : current;
    }

    /** Binds the update; {@code attemptsApply} is false when attempts are handled as a retry instead. */
    Query bindTo(Query q, boolean attemptsApply) {
        String name = nonEmpty("name");
        String channel = IndexedText.check("channel", nonEmpty("channel"));
        String workgroup = IndexedText.check("workgroup", emptyToNull(body.string("workgroup")));
        String key = IndexedText.check("key", emptyToNull(body.string("key")));
        Integer priority = body.integer("priority");
        Instant runAfter = body.time("runAfter");
        Integer errorDelay = body.integer("errorDelayInSeconds", 0, Integer.MAX_VALUE);
        Integer leaseSeconds = body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS);
        Boolean seed = body.bool("isSeed");
        Double weight = body.number("progressWeight");
        if (weight != null && weight < 0) {
            throw ApiException.badRequest("progressWeight must not be negative");
        }
        JsonNode input = body.json("input");
        if (q == null) {
            return null;
        }
        return q.bind("id", id)
                .bind("setName", body.has("name")).bind("name", name)
                .bind("setChannel", body.has("channel")).bind("channel", channel)
                .bind("setWorkgroup", body.has("workgroup")).bind("workgroup", workgroup)
                .bind("setKey", body.has("key")).bind("key", key)
                .bind("setPriority", body.has("priority")).bind("priority", priority == null ? 0 : priority)
                .bind("setRunAfter", body.has("runAfter")).bind("runAfter", runAfter)
                .bind("setRemainingAttempts", attemptsApply && remainingAttempts != null)
                .bind("remainingAttempts", remainingAttempts)
                .bind("setErrorDelay", errorDelay != null).bind("errorDelay", errorDelay)
                .bind("setLeaseSeconds", body.has("leaseSeconds")).bind("leaseSeconds", leaseSeconds)
                .bind("setIsSeed", body.has("isSeed")).bind("isSeed", seed != null && seed)
                .bind("setProgressWeight", body.has("progressWeight")).bind("progressWeight", weight == null ? 1 : weight)
                .bind("setInput", body.has("input")).bind("input", new Json(Body.write(input)));
    }

    private String nonEmpty(String field) {
        if (!body.has(field)) {
            return null;
        }
        String value = body.string(field);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(field + " must be a non-empty string");
        }
        return value;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
