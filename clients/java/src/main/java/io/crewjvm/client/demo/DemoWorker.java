package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Parent;
import io.crewjvm.client.TaskResult;
import io.crewjvm.client.Worker;
import java.time.Duration;
import java.util.List;

/**
 * What Crew's demo workers share: an input with {@code throw} fails with that message; otherwise the worker
 * "works" for a while, then answers. {@code timeScale} shortens every duration (tests run the demo at 0.05).
 */
abstract class DemoWorker extends Worker {

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

    Duration scaled(Duration duration) {
        return Duration.ofMillis(Math.round(duration.toMillis() * timeScale));
    }
}
