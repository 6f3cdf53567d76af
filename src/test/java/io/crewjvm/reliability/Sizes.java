package io.crewjvm.reliability;

import java.time.Duration;

/**
 * Sizes of the fault scenarios: small in {@code ./mvnw verify}, the full sizes of reliability.md with
 * {@code ./mvnw verify -Preliability-full} (which sets these properties).
 */
final class Sizes {

    static final int TASKS = Integer.getInteger("crew.reliability.tasks", 1000);
    static final int WORKERS = Integer.getInteger("crew.reliability.workers", 16);
    /** How long connections are reset, between the workers and the service or the service and PostgreSQL. */
    static final Duration RESETS = seconds("crew.reliability.resets-seconds", 15);
    /** How long the connections of the service to PostgreSQL are frozen. */
    static final Duration DATABASE_FREEZE = seconds("crew.reliability.database-freeze-seconds", 20);
    /** How long the connections of the workers to the service are frozen. */
    static final Duration WORKER_FREEZE = seconds("crew.reliability.worker-freeze-seconds", 10);
    /** Each of the windows in which the throughput of workers is measured beside slow clients and without. */
    static final Duration MEASURE = seconds("crew.reliability.measure-seconds", 6);
    /** The service's write-idle timeout beside slow clients: its default (60 s) in the full profile. */
    static final Duration WRITE_IDLE = seconds("crew.reliability.write-idle-seconds", 12);

    private Sizes() {
    }

    private static Duration seconds(String property, long fast) {
        return Duration.ofSeconds(Long.getLong(property, fast));
    }
}
