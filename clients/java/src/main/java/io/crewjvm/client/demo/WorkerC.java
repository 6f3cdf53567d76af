package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Child;
import io.crewjvm.client.Parent;
import io.crewjvm.client.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Crew's demo worker C: channel {@code worker_c}, two seconds of work, then a continuation of four children
 * that run a minute later ({@code childrenDelayInSeconds}; both times the time scale's): A; B after A, with A's
 * key (so it shares A's output instead of running) and a {@code runAfter} of its own; C after A on
 * {@code worker_b}; D after B and C, with quotes in its name and input.
 */
public final class WorkerC extends DemoWorker {

    private static final int CHILDREN_DELAY_SECONDS = 60;

    public WorkerC(double timeScale) {
        super("Worker ' C", "worker_c", timeScale);
    }

    @Override
    int workSeconds() {
        return 2;
    }

    /** The {@code childrenDelayInSeconds} of Worker C's answer at a time scale (at least 1 s). */
    static int childrenDelaySeconds(double timeScale) {
        return (int) Math.max(1, Math.round(CHILDREN_DELAY_SECONDS * timeScale));
    }

    @Override
    TaskResult answer(JsonNode input, List<Parent> parents) {
        return TaskResult.of(Map.of("message", "Worker C ' did it!"))
                .withChildrenDelay(childrenDelaySeconds(timeScale()))
                .withChildren(
                        Child.of("Child A", "worker_a").childId(1).input(Map.of("child", "A")).key("same_key"),
                        Child.of("Child B", "worker_a").childId(2).parentChildIds(1).input(Map.of("child", "B"))
                                .key("same_key").runAfter(Instant.now().plus(scaled(Duration.ofSeconds(15)))),
                        Child.of("Child C", "worker_b").childId(3).parentChildIds(1).input(Map.of("child", "C")),
                        Child.of("Child ' \" D Quotes", "worker_a").childId(4).parentChildIds(2, 3)
                                .input(Map.of("child", "D oh' no a single quote! And a double quote \" too!")));
    }
}
