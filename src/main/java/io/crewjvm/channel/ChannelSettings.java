package io.crewjvm.channel;

import io.crewjvm.task.RetryPolicy;

/**
 * A channel's defaults for its tasks that set none themselves: the retry policy (null: Crew's fixed
 * errorDelayInSeconds) and the execution timeout (null: none).
 */
public record ChannelSettings(RetryPolicy retryPolicy, Integer timeoutSeconds) {
}
