package io.crewjvm.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which acquire statement a channel needs: the full one (TaskAcquire.sql) while it has ready tasks on the throttled
 * path (a workgroup with a cap or a budget, or a fair channel), else the plain one, whose plan is a fraction of the
 * size. Asked of the database at most once per {@link #RECHECK_NANOS} per channel and replica: a throttled task is
 * then leased at most that much later than it could have been; the plain path never misses a plain task.
 */
final class ChannelPaths {

    static final long RECHECK_NANOS = 1_000_000_000L;
    /** Channels remembered at most; past that the memory starts afresh (each channel is asked again). */
    private static final int CHANNELS_MAX = 10_000;

    private record Known(boolean throttled, long checkedAt) {
    }

    private final Map<String, Known> channels = new ConcurrentHashMap<>();
    private final Predicate<String> hasThrottled;

    ChannelPaths(Predicate<String> hasThrottled) {
        this.hasThrottled = hasThrottled;
    }

    boolean throttled(String channel) {
        long now = System.nanoTime();
        Known known = channels.get(channel);
        if (known == null || now - known.checkedAt() > RECHECK_NANOS) {
            known = new Known(hasThrottled.test(channel), now);
            if (channels.size() >= CHANNELS_MAX) {
                channels.clear();
            }
            channels.put(channel, known);
        }
        return known.throttled();
    }
}
