package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A worker process for the shutdown tests: {@code URL CHANNEL WORK_MILLIS SHUTDOWN_TIMEOUT_MILLIS}. It prints
 * {@code executing <task id>} when a task starts, works for WORK_MILLIS, and runs until SIGTERM.
 */
public final class SlowWorkerMain {

    private SlowWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long workMillis = Long.parseLong(args[2]);
        Worker slow = new Worker("slow", args[1]) {
            @Override
            public TaskResult execute(JsonNode input, List<Parent> parents) throws InterruptedException {
                System.out.println("executing " + input.path("id").asText());
                Thread.sleep(workMillis);
                return TaskResult.of(Map.of("sleptMillis", workMillis));
            }
        };
        WorkerOptions options = WorkerOptions.defaults().withUrl(URI.create(args[0])).withWaitSeconds(5)
                .withShutdownTimeout(Duration.ofMillis(Long.parseLong(args[3])))
                .withListener(TaskLog.toConsole(System.out, System.err));
        new WorkerGroup(options).add(slow).runUntilSignal();
        System.out.println("stopped");
    }
}
