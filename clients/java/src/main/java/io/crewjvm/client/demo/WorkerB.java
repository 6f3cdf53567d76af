package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.Parent;
import io.crewjvm.client.TaskResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Crew's demo worker B: channel {@code worker_b}, two seconds of work. */
public final class WorkerB extends DemoWorker {

    public WorkerB(double timeScale) {
        super("Worker B", "worker_b", timeScale);
    }

    @Override
    int workSeconds() {
        return 2;
    }

    @Override
    TaskResult answer(JsonNode input, List<Parent> parents) {
        return TaskResult.of(Map.of("message", "Worker B did it!", "at", Instant.now().toString()));
    }
}
