package io.crewjvm.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.JsonValues;
import io.crewjvm.db.Query.Json;
import io.crewjvm.db.Query;
import java.time.Instant;
import java.util.List;

/**
 * A validated PUT /task/:id: the fields Crew lets a client change, each applied only when sent ({@code setsX}).
 * Fields that belong to the system (taskGroupId, isPaused, isComplete, output, errors, assignedTo, createdAt,
 * _id...) and unknown fields are ignored, as Crew ignores them; parentIds stay real edges. An error delay is
 * changed only when sent with a value. Read from a request by {@link TaskRequests#patch}.
 */
public record TaskPatch(String id, Integer remainingAttempts, List<String> parentIds,
                        boolean setsName, String name, boolean setsChannel, String channel,
                        boolean setsWorkgroup, String workgroup, boolean setsKey, String key,
                        boolean setsPriority, Integer priority, boolean setsRunAfter, Instant runAfter,
                        Integer errorDelayInSeconds, boolean setsLeaseSeconds, Integer leaseSeconds,
                        boolean setsIsSeed, Boolean isSeed, boolean setsProgressWeight, Double progressWeight,
                        boolean setsInput, JsonNode input) {

    public boolean setsParents() {
        return parentIds != null;
    }

    /** The channel the task has after this change, given the one it has now. */
    String channelAfter(String current) {
        return setsChannel ? channel : current;
    }

    /** The duplicate key the task has after this change (an empty key is none), given the one it has now. */
    String keyAfter(String current) {
        return setsKey ? key : current;
    }

    /** Binds the update; {@code attemptsApply} is false when attempts are handled as a retry instead. */
    Query bindTo(Query q, boolean attemptsApply) {
        return q.bind("id", id)
                .bind("setName", setsName).bind("name", name)
                .bind("setChannel", setsChannel).bind("channel", channel)
                .bind("setWorkgroup", setsWorkgroup).bind("workgroup", workgroup)
                .bind("setKey", setsKey).bind("key", key)
                .bind("setPriority", setsPriority).bind("priority", priority == null ? 0 : priority)
                .bind("setRunAfter", setsRunAfter).bind("runAfter", runAfter)
                .bind("setRemainingAttempts", attemptsApply && remainingAttempts != null)
                .bind("remainingAttempts", remainingAttempts)
                .bind("setErrorDelay", errorDelayInSeconds != null).bind("errorDelay", errorDelayInSeconds)
                .bind("setLeaseSeconds", setsLeaseSeconds).bind("leaseSeconds", leaseSeconds)
                .bind("setIsSeed", setsIsSeed).bind("isSeed", isSeed != null && isSeed)
                .bind("setProgressWeight", setsProgressWeight)
                .bind("progressWeight", progressWeight == null ? 1 : progressWeight)
                .bind("setInput", setsInput).bind("input", new Json(JsonValues.write(input)));
    }
}
