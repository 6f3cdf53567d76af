package io.crewjvm.maintenance;

import io.crewjvm.CrewConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Skips every maintenance job on a replica configured with {@code CREW_USE_EXTERNAL_CRON=yes}, and on any replica
 * while it is not running: a job that fires while the service shuts down would otherwise run against a container
 * that is going away (as {@link Scheduled.ApplicationNotRunning} does for the other scheduled methods).
 */
@Singleton
public class ExternalCron implements Scheduled.SkipPredicate {

    private final boolean external;
    private volatile boolean running;

    ExternalCron(CrewConfig config) {
        this.external = "yes".equalsIgnoreCase(config.useExternalCron());
    }

    void started(@Observes StartupEvent event) {
        running = true;
    }

    void stopping(@Observes ShutdownEvent event) {
        running = false;
    }

    /** Whether the service runs (started, and no shutdown begun): a long job stops between its steps otherwise. */
    public boolean running() {
        return running;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return external || !running;
    }
}
