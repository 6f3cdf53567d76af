package io.crewjvm.operator;

/**
 * A validated POST /operators: a channel, an absolute http(s) URL, the requestConfig as JSON text (null when
 * none) and isPaused (null when not sent).
 */
public record NewOperator(String channel, String url, String requestConfig, Boolean isPaused) {
}
