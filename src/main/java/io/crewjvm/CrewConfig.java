package io.crewjvm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Crew's own settings. Each method maps to {@code crew.<kebab-name>} and so to the environment variable
 * {@code CREW_<UPPER_SNAKE_NAME>}, which keeps Crew 1.0.25's variable names working unchanged.
 */
@ConfigMapping(prefix = "crew")
public interface CrewConfig {

    /** Lease length given to a worker at acquire, unless the task or the acquire asks for another. */
    @WithDefault("60")
    int abandonedTaskIntervalInSeconds();

    /** How often held tasks whose time has come are made ready (runAfter, error delays, workgroup pauses). */
    @WithDefault("1s")
    Duration promoteInterval();

    /** How often expired leases are reclaimed. */
    @WithDefault("5s")
    Duration reclaimInterval();

    /** How often each replica reads the database-wide gauges of /q/metrics (task counts, backlog age, ...). */
    @WithDefault("15s")
    Duration metricsInterval();

    /** How often an open event stream gets a comment line, so that proxies and clients see it is alive. */
    @WithDefault("15s")
    Duration eventsHeartbeatInterval();

    /** How often socket.io pings its clients (socket.io's default); told to each client when it connects. */
    @WithDefault("25s")
    Duration socketioPingInterval();

    /** How long a socket.io client has to answer a ping before its connection is closed (socket.io's default). */
    @WithDefault("20s")
    Duration socketioPingTimeout();

    /** Groups older than this many days are deleted by the cleaner (Crew's setting). */
    @WithDefault("7")
    int expiredGroupIntervalInDays();

    /**
     * Groups older than this are deleted by the cleaner, when set (e.g. {@code 30m}, {@code 36h}): a retention finer
     * than whole days. Unset: {@link #expiredGroupIntervalInDays()}.
     */
    Optional<Duration> expiredGroupAge();

    /** The retention of groups in effect: {@link #expiredGroupAge()} when set, else the days. */
    default Duration groupRetention() {
        return expiredGroupAge().orElse(Duration.ofDays(expiredGroupIntervalInDays()));
    }

    /** {@code yes} (Crew's default) lets the cleaner delete expired groups; anything else turns it off. */
    @WithDefault("yes")
    String cleanExpiredGroups();

    /** How often the cleaner runs. */
    @WithDefault("1h")
    Duration cleanInterval();

    /** Groups deleted per cleaner run (Crew's CREW_CLEAN_BATCH_SIZE). */
    @WithDefault("20")
    int cleanBatchSize();

    /** How often each replica looks for due schedules (one indexed statement when none is due). */
    @WithDefault("1s")
    Duration scheduleInterval();

    /**
     * How late a fire time may be found and still count as on time: it runs whatever the schedule's catch-up policy.
     * Older ones were missed (the service was down) and follow the policy.
     */
    @WithDefault("60s")
    Duration scheduleGrace();

    /** The most missed fire times that one schedule's catch-up {@code all} runs (the newest of them). */
    @WithDefault("100")
    int scheduleCatchUpMax();

    /** {@code yes}: this replica runs no scheduled job; an external scheduler calls the admin endpoints. */
    @WithDefault("no")
    String useExternalCron();

    /**
     * An HTTP connection to which the service has written nothing for this long is closed: a client that sends its
     * request a byte at a time, or one that went away without a close. Above the longest long-poll (30 s).
     */
    @WithDefault("60s")
    Duration httpWriteIdleTimeout();

    /** Webhook deliveries in flight at once per operator and instance. */
    @WithDefault("8")
    int operatorConcurrency();

    /** How often each instance re-reads the operators (changes made through it apply at once). */
    @WithDefault("2s")
    Duration operatorRefreshInterval();

    /** When set, every channel without an operator of its own is delivered to this URL + the channel name. */
    Optional<String> virtualOperatorBaseUrl();

    /** Sent as {@code Authorization: Bearer <token>} with every delivery of the virtual operator. */
    Optional<String> virtualOperatorAuthToken();
}
