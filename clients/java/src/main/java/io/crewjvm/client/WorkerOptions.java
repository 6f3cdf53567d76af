package io.crewjvm.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a {@link WorkerGroup} talks to the service. {@link #fromEnvironment()} reads the variables Crew's own
 * workers read ({@code CREW_API_BASE_URL}, {@code CREW_WORK_INTERVAL_IN_MILLISECONDS},
 * {@code CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS}) and two of this client ({@code CREW_WORK_WAIT_SECONDS},
 * {@code CREW_WORK_BATCH_SIZE}).
 */
public record WorkerOptions(URI url, int waitSeconds, Duration pollInterval, Integer leaseSeconds, int batchSize,
                            Duration backoffInitial, Duration backoffMax, Duration releaseRetryFor,
                            Duration shutdownTimeout, Duration requestTimeout, TaskListener listener) {

    /** The longest long-poll the service accepts. */
    public static final int MAX_WAIT_SECONDS = 30;

    public WorkerOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(listener, "listener");
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("waitSeconds must be 0-" + MAX_WAIT_SECONDS + ": " + waitSeconds);
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batchSize must be 1-1000: " + batchSize);
        }
        if (leaseSeconds != null && leaseSeconds < 1) {
            throw new IllegalArgumentException("leaseSeconds must be positive: " + leaseSeconds);
        }
    }

    /** Long-poll of 20 s, lease of the service's choosing, one task at a time, Crew's 30 s shutdown timeout. */
    public static WorkerOptions defaults() {
        return new WorkerOptions(URI.create("http://localhost:3000/"), 20, Duration.ofSeconds(15), null, 1,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(30),
                Duration.ofSeconds(30), TaskLog.toLogger());
    }

    /** The defaults, with what the environment sets. */
    public static WorkerOptions fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    static WorkerOptions fromEnvironment(UnaryOperator<String> env) {
        WorkerOptions options = defaults();
        String url = env.apply("CREW_API_BASE_URL");
        if (url != null && !url.isBlank()) {
            options = options.withUrl(URI.create(url.trim()));
        }
        Integer wait = integer(env, "CREW_WORK_WAIT_SECONDS");
        if (wait != null) {
            options = options.withWaitSeconds(wait);
        }
        Integer interval = integer(env, "CREW_WORK_INTERVAL_IN_MILLISECONDS");
        if (interval != null) {
            options = options.withPollInterval(Duration.ofMillis(interval));
        }
        Integer batch = integer(env, "CREW_WORK_BATCH_SIZE");
        if (batch != null) {
            options = options.withBatchSize(batch);
        }
        Integer shutdown = integer(env, "CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS");
        if (shutdown != null) {
            options = options.withShutdownTimeout(Duration.ofMillis(shutdown));
        }
        return options;
    }

    public WorkerOptions withUrl(URI newUrl) {
        return new WorkerOptions(newUrl, waitSeconds, pollInterval, leaseSeconds, batchSize, backoffInitial,
                backoffMax, releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** Long-poll: each acquire waits up to this long for a task; 0 polls every {@link #pollInterval} instead. */
    public WorkerOptions withWaitSeconds(int seconds) {
        return new WorkerOptions(url, seconds, pollInterval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** Interval polling (waitSeconds 0): the pause after finding no task, spread by ±20 %. */
    public WorkerOptions withPollInterval(Duration interval) {
        return new WorkerOptions(url, waitSeconds, interval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** The lease asked for at acquire and at each heartbeat; null for the task's or the service's default. */
    public WorkerOptions withLeaseSeconds(Integer seconds) {
        return new WorkerOptions(url, waitSeconds, pollInterval, seconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** Above 1: batch mode, up to this many tasks per acquire ({@code acquire_batch}) and one release call. */
    public WorkerOptions withBatchSize(int size) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, size, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** Delays between tries after network errors and 5xx: from {@code initial}, doubling up to {@code max}. */
    public WorkerOptions withBackoff(Duration initial, Duration max) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, batchSize, initial, max,
                releaseRetryFor, shutdownTimeout, requestTimeout, listener);
    }

    /** How long a release is tried again before its result is given up (the lease will expire). */
    public WorkerOptions withReleaseRetryFor(Duration duration) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                duration, shutdownTimeout, requestTimeout, listener);
    }

    /**
     * On shutdown, how long running tasks may take to finish; the ones that do not are released as failed.
     * Keep it below the grace period of whatever stops the process.
     */
    public WorkerOptions withShutdownTimeout(Duration timeout) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, timeout, requestTimeout, listener);
    }

    /**
     * How long a call waits for its answer (an acquire: this plus its {@link #waitSeconds}), 30 s by default. A call
     * on a connection that froze without a close fails after it, the JDK client drops that connection, and the call
     * is tried again, after the backoff, on a new one.
     */
    public WorkerOptions withRequestTimeout(Duration timeout) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, timeout, listener);
    }

    public WorkerOptions withListener(TaskListener newListener) {
        return new WorkerOptions(url, waitSeconds, pollInterval, leaseSeconds, batchSize, backoffInitial, backoffMax,
                releaseRetryFor, shutdownTimeout, requestTimeout, newListener);
    }

    private static Integer integer(UnaryOperator<String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + value, e);
        }
    }
}
