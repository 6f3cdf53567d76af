package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task leased to a worker by an acquire.
 *
 * @param attempt the attempt number the acquire returned: releases and heartbeats send it, so that they apply to
 *                this lease and no later one
 * @param lease   how long the lease runs from the acquire (the service's clock), or null when the service did
 *                not say (Crew 1.0.25 has no leases)
 * @param json    the task document as the service sent it
 */
public record LeasedTask(String id, String name, String channel, Integer attempt, JsonNode input,
                         List<Parent> parents, Duration lease, JsonNode json) {

    /** One {@code {task, parents}} element of an acquire's answer. */
    static LeasedTask of(JsonNode acquired) {
        JsonNode task = acquired.path("task");
        List<Parent> parents = new ArrayList<>();
        acquired.path("parents").forEach(parent -> parents.add(Parent.of(parent)));
        JsonNode attempt = task.path("attempt");
        return new LeasedTask(task.path("_id").asText(), task.path("name").asText(null),
                task.path("channel").asText(null), attempt.canConvertToInt() ? attempt.intValue() : null,
                task.path("input"), List.copyOf(parents), lease(task), task);
    }

    private static Duration lease(JsonNode task) {
        JsonNode from = task.path("assignedAt");
        JsonNode until = task.path("leaseExpiresAt");
        if (!from.isTextual() || !until.isTextual()) {
            return null;
        }
        return Duration.between(Instant.parse(from.asText()), Instant.parse(until.asText()));
    }
}
