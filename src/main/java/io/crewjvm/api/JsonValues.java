package io.crewjvm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON documents that the service stores or builds, read and written as a request body's values are (numbers as
 * written, compact), for code that has no request body in hand.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** A JSON document that the service stored or built (a task's), read with numbers as written. */
    public static JsonNode read(String json) throws JsonProcessingException {
        return Body.read(json);
    }

    /** A stored JSON object (or null / empty text, read as {}), read as a request body is. */
    public static JsonNode readObject(String json) {
        return Body.parse(json, null).node();
    }

    /** Serializes a JSON value for a json parameter: compact, as Crew's JSON.stringify writes it. */
    public static String write(JsonNode value) {
        return Body.write(value);
    }
}
