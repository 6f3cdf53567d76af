package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Parent;
import io.crewjvm.client.TaskResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Crew's demo worker A: channel {@code worker_a}, ten seconds of work. */
public final class WorkerA extends DemoWorker {

    public WorkerA(double timeScale) {
        super("Worker A", "worker_a", timeScale);
    }

    @Override
    int workSeconds() {
        return 10;
    }

    @Override
    TaskResult answer(JsonNode input, List<Parent> parents) {
        return TaskResult.of(Map.of("message", "Worker A did it!", "at", Instant.now().toString()));
    }
}
