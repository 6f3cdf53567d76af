package io.crewjvm.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of an operator's {@code requestConfig} (Crew passed it to axios) that shape the webhook request:
 * {@code headers}, {@code auth: {username, password}} (HTTP basic) and {@code timeout} in milliseconds. Other
 * keys are kept on the operator and ignored by the dispatcher.
 */
record RequestConfig(Map<String, String> headers, Duration timeout) {

    private static final long MAX_TIMEOUT_MILLIS = 86_400_000L;

    /** 400 naming the field when a requestConfig sent by a user is not null or a valid object. */
    static void validate(JsonNode config) {
        parse(config, Duration.ZERO);
    }

    /** Reads a requestConfig (null or an object); 400 naming the field that is wrong. */
    static RequestConfig parse(JsonNode config, Duration defaultTimeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        Duration timeout = defaultTimeout;
        if (config == null || config.isNull()) {
            return new RequestConfig(headers, timeout);
        }
        if (!config.isObject()) {
            throw ApiException.badRequest("requestConfig must be an object");
        }
        JsonNode h = config.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw ApiException.badRequest("requestConfig.headers must be an object of strings");
            }
            h.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw ApiException.badRequest("requestConfig.headers." + e.getKey() + " must be a string");
                }
                String name = e.getKey();
                String value = e.getValue().asText();
                try {
                    HttpRequest.newBuilder().header(name, value);
                } catch (IllegalArgumentException invalid) {
                    throw ApiException.badRequest("requestConfig.headers." + name + " cannot be sent: "
                            + invalid.getMessage());
                }
                headers.put(name, value);
            });
        }
        JsonNode auth = config.get("auth");
        if (auth != null && !auth.isNull()) {
            if (!auth.isObject()) {
                throw ApiException.badRequest("requestConfig.auth must be an object {username, password}");
            }
            String token = credential(auth, "username") + ":" + credential(auth, "password");
            headers.put("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode t = config.get("timeout");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() < 1 || t.asLong() > MAX_TIMEOUT_MILLIS) {
                throw ApiException.badRequest("requestConfig.timeout must be milliseconds between 1 and "
                        + MAX_TIMEOUT_MILLIS);
            }
            timeout = Duration.ofMillis(t.asLong());
        }
        return new RequestConfig(headers, timeout);
    }

    private static String credential(JsonNode auth, String field) {
        JsonNode value = auth.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("requestConfig.auth." + field + " must be a string");
        }
        return value.textValue();
    }
}
