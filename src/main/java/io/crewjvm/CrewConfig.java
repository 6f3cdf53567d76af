package io.crewjvm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
}
