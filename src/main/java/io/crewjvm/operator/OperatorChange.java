package io.crewjvm.operator;

/**
 * A validated PUT /operator/:id: each field applied only when sent ({@code setsX}), validated as on creation; the
 * others (and unknown fields) are left as they are.
 */
public record OperatorChange(boolean setsChannel, String channel, boolean setsUrl, String url,
                             boolean setsRequestConfig, String requestConfig, boolean setsIsPaused, Boolean isPaused) {
}
