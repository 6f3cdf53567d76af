package io.crewjvm.operator;

import java.net.URI;

/**
 * Where one dispatcher lane delivers: the tasks of {@code channel}, leased as {@code workerId}, posted to
 * {@code url}. {@code key} names the lane: the operator's id, or {@code virtual:<channel>}.
 */
record Target(String key, String workerId, String channel, URI url, RequestConfig config, boolean virtual) {
}
