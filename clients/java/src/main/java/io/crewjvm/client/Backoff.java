package io.crewjvm.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th delay in a row is drawn between half of and the full
 * {@code min(max, initial * 2^n)}, so that many workers cut off by the same outage do not come back in step.
 * Not thread-safe: one per loop.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
    }

    /** The delay before the next try after one more failure. */
    public Duration next() {
        long cap = max.toMillis();
        long ceiling = initial.toMillis() << Math.min(failures, 30);
        failures++;
        long upper = ceiling <= 0 || ceiling > cap ? cap : ceiling;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(upper / 2, upper + 1));
    }

    /** After a success: the next failure starts from {@code initial} again. */
    public void reset() {
        failures = 0;
    }

    /** A duration spread by ±{@code fraction} at random (interval polling). */
    public static Duration jittered(Duration base, double fraction) {
        double factor = 1 + fraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base.toMillis() * factor)));
    }
}
