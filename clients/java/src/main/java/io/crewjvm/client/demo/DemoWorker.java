package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Parent;
import io.crewjvm.client.TaskResult;
import io.crewjvm.client.Worker;
import java.time.Duration;
import java.util.List;

/**
 * What Crew's demo workers share: an input with {@code throw} fails with that message; otherwise the worker
 * "works" for a while, then answers. {@code timeScale} multiplies Crew's durations and delays: {@code crew work}
 * runs them at {@link #DEFAULT_TIME_SCALE}, at {@link #CREW_TIME_SCALE} with {@code --crew-timings}, and tests
 * at 0.05.
 */
abstract class DemoWorker extends Worker {

    /** Crew's own durations and delays: the demo takes about a minute and a half. */
    static final double CREW_TIME_SCALE = 1;
    /** {@code crew work}'s: a tenth of Crew's durations and delays, so that the demo takes about 15 s. */
    static final double DEFAULT_TIME_SCALE = 0.1;

    private final double timeScale;

    DemoWorker(String name, String channel, double timeScale) {
        super(name, channel);
        if (timeScale <= 0) {
            throw new IllegalArgumentException("The time scale must be positive: " + timeScale);
        }
        this.timeScale = timeScale;
    }

    @Override
    public final TaskResult execute(JsonNode input, List<Parent> parents) throws Exception {
        if (input.hasNonNull("throw")) {
            throw new IllegalStateException(input.get("throw").asText());
        }
        Thread.sleep(scaled(Duration.ofSeconds(workSeconds())).toMillis());
        return answer(input, parents);
    }

    /** How long Crew's demo worker takes. */
    abstract int workSeconds();

    abstract TaskResult answer(JsonNode input, List<Parent> parents);

    double timeScale() {
        return timeScale;
    }

    Duration scaled(Duration duration) {
        return Duration.ofMillis(Math.round(duration.toMillis() * timeScale));
    }
}
