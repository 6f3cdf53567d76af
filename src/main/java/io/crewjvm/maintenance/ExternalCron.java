package io.crewjvm.maintenance;

import io.crewjvm.CrewConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips every scheduled job on a replica configured with {@code CREW_USE_EXTERNAL_CRON=yes}. */
@Singleton
public class ExternalCron implements Scheduled.SkipPredicate {

    private final boolean external;

    ExternalCron(CrewConfig config) {
        this.external = "yes".equalsIgnoreCase(config.useExternalCron());
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return external;
    }
}
