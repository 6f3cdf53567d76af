package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A completed parent of a task, as the acquire hands it over: its id, channel, input and output. */
public record Parent(String id, String channel, JsonNode input, JsonNode output) {

    static Parent of(JsonNode json) {
        return new Parent(json.path("_id").asText(), json.path("channel").asText(null), json.path("input"),
                json.path("output"));
    }
}
