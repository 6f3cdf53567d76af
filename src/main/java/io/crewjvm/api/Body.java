package io.crewjvm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * A request body read as a JSON object, with typed accessors that answer 400 with a message naming the field.
 * An empty body reads as {@code {}}, as in Crew.
 */
public final class Body {

    /**
     * A body is one JSON value: anything after it ({"a":1}}, {"name":"x"} trailing) is malformed, not ignored. The
     * values users give (an input, an output, an error) are stored as they are written back from here, compact, so
     * numbers stay as they were sent ({@link WrittenNumbers}): 1.10 as 1.10 and 3.14159265358979323846 with all its
     * digits, where a double would store 1.1 and 3.141592653589793. An object keeps its keys in the order sent; a
     * key sent twice keeps its first place and its last value, as JSON.parse does in Crew.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(new WrittenNumbers())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** The answer to a string with a NUL character, wherever it was found. */
    public static final String NUL_REFUSED = "Text and JSON values must not contain NUL (\\u0000) characters";

    private final JsonNode node;

    private Body(JsonNode node) {
        this.node = node;
    }

    /** Parses a raw request body; a non-JSON content type is 415, malformed JSON 400. */
    public static Body parse(String raw, String contentType) {
        if (raw == null || raw.isBlank()) {
            return new Body(MAPPER.createObjectNode());
        }
        if (contentType != null && !isJson(contentType)) {
            throw new ApiException(415, "Unsupported content type '" + contentType + "': send application/json");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        }
        // PostgreSQL stores no NUL in text or jsonb: refused whole here, rather than only where a statement would
        // store it (an acquire on an empty channel stores nothing). The scan of the text is the cheap test.
        if (raw.contains("\\u0000") && holdsNul(tree)) {
            throw ApiException.badRequest(NUL_REFUSED);
        }
        return of(tree);
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static Body of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Body(MAPPER.createObjectNode());
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object");
        }
        return new Body(node);
    }

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/json") || type.contains("+json");
    }

    public JsonNode node() {
        return node;
    }

    /** True when the field is present, even as null. */
    public boolean has(String field) {
        return node.has(field);
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public String string(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return v.textValue();
    }

    public String requiredString(String field, String message) {
        String s = string(field);
        if (s == null || s.isEmpty()) {
            throw ApiException.badRequest(message);
        }
        return s;
    }

    public Integer integer(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw ApiException.badRequest(field + " must be an integer");
        }
        if (!v.canConvertToInt()) {
            throw ApiException.badRequest(field + " is out of range");
        }
        return v.asInt();
    }

    public Integer integer(String field, int min, int max) {
        Integer i = integer(field);
        if (i != null && (i < min || i > max)) {
            throw ApiException.badRequest(field + " must be between " + min + " and " + max);
        }
        return i;
    }

    public Double number(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiException.badRequest(field + " must be a number");
        }
        return v.asDouble();
    }

    public Boolean bool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return v.booleanValue();
    }

    /** Any JSON value; null when absent or null. */
    public JsonNode json(String field) {
        return value(field);
    }

    /** An ISO-8601 date-time (zone-less means UTC) or epoch milliseconds; null when absent or null. */
    public Instant time(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        Instant t;
        if (v.isNumber()) {
            if (!v.canConvertToLong()) {
                throw ApiException.badRequest(field + " is out of range");
            }
            t = Instant.ofEpochMilli(v.asLong());
        } else if (v.isTextual()) {
            t = parseTime(field, v.textValue());
        } else {
            throw ApiException.badRequest(field + " must be an ISO-8601 date-time string or epoch milliseconds");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw ApiException.badRequest(field + " must be between years 1 and 9999");
        }
        return t;
    }

    private static Instant parseTime(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw ApiException.badRequest(field + " is not an ISO-8601 date-time: '" + text + "'");
                }
            }
        }
    }

    /** An array of task ids; null when absent or null. */
    public List<String> ids(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(field + " must be an array of ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.badRequest(field + " must be an array of ids");
            }
            String id = Ids.parse(item.textValue(), "id in " + field);
            if (ids.contains(id)) {
                throw ApiException.badRequest(field + " lists " + id + " twice");
            }
            ids.add(id);
        }
        return ids;
    }

    /** An object field as a body of its own; null when absent or null. */
    public Body object(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(field + " must be an object");
        }
        return new Body(v);
    }

    /** The elements of an array field as bodies of their own; empty when absent or null. */
    public List<Body> objects(String field) {
        JsonNode v = value(field);
        List<Body> items = new ArrayList<>();
        if (v == null) {
            return items;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(field + " must be an array");
        }
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
            JsonNode item = it.next();
            if (!item.isObject()) {
                throw ApiException.badRequest("each element of " + field + " must be an object");
            }
            items.add(new Body(item));
        }
        return items;
    }

    public ObjectNode copy() {
        return ((ObjectNode) node).deepCopy();
    }

    /** A JSON document that the service stored or built (a task's), read as a body is: numbers as written. */
    public static JsonNode read(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** Serializes a JSON value for a json parameter: compact, as Crew's JSON.stringify writes it. */
    public static String write(JsonNode value) {
        try {
            return value == null ? null : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
