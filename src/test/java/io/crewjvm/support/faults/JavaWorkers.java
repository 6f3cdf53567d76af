package io.crewjvm.support.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.LeasedTask;
import io.crewjvm.client.Parent;
import io.crewjvm.client.Released;
import io.crewjvm.client.TaskListener;
import io.crewjvm.client.TaskResult;
import io.crewjvm.client.Worker;
import io.crewjvm.client.WorkerGroup;
import io.crewjvm.client.WorkerOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Workers of the project's Java client ({@code clients/java}) on one channel, half of them acquiring one task at a
 * time and half in batches of 10, each execution taking a fixed time. They count what a fault scenario checks on
 * the workers' side: executions per task (by input, unique per task: {@link Workload#createTasks}), executions
 * of one task running at the same time, completed releases, and the trouble the client reported.
 */
public final class JavaWorkers implements AutoCloseable {

    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder troubles = new LongAdder();
    private final List<WorkerGroup> groups;

    /**
     * Starts {@code count} workers of {@code channel} at {@code url}, with the client's defaults except a short
     * backoff after network errors (a fault test should not wait for the 30 s cap), then {@code tune}.
     */
    public JavaWorkers(URI url, String channel, int count, Duration work, UnaryOperator<WorkerOptions> tune) {
        Worker worker = new Worker("fault", channel) {
            @Override
            public TaskResult execute(JsonNode input, List<Parent> parents) throws InterruptedException {
                String task = input.toString();
                executions.computeIfAbsent(task, k -> new AtomicInteger()).incrementAndGet();
                if (!executing.add(task)) {
                    overlaps.incrementAndGet();
                }
                try {
                    Thread.sleep(work.toMillis());
                    return TaskResult.of(Map.of("done", true));
                } finally {
                    executing.remove(task);
                }
            }
        };
        WorkerOptions options = tune.apply(WorkerOptions.defaults().withUrl(url)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).withListener(new Counting()));
        groups = List.of(new WorkerGroup(options).add(worker, (count + 1) / 2),
                new WorkerGroup(options.withBatchSize(10)).add(worker, Math.max(1, count / 2)));
        groups.forEach(WorkerGroup::start);
    }

    /** Executions per task, keyed by input. */
    public Map<String, AtomicInteger> executions() {
        return executions;
    }

    /** Times a task started executing while another execution of it still ran. */
    public int overlaps() {
        return overlaps.get();
    }

    /** Releases the service answered with a completed task. */
    public long completed() {
        return completed.sum();
    }

    /** Failed calls the client reported (network errors, timeouts, 5xx) and retried. */
    public long troubles() {
        return troubles.sum();
    }

    /** Stops taking tasks and delivers the results in hand (the client's graceful shutdown). */
    @Override
    public void close() {
        groups.forEach(WorkerGroup::shutdown);
    }

    private final class Counting implements TaskListener {
        @Override
        public void taken(String workerId, LeasedTask task) {
            // counted at execution
        }

        @Override
        public void released(String workerId, LeasedTask task, Released outcome, Duration took) {
            if (outcome.kind() == Released.Kind.COMPLETED) {
                completed.increment();
            }
        }

        @Override
        public void trouble(String workerId, String what, Throwable cause) {
            troubles.increment();
        }
    }
}
