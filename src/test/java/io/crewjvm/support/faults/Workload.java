package io.crewjvm.support.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Tasks in one channel and concurrent HTTP workers that acquire them in batches and release them, against one or
 * more service instances. It counts every answer per instance and status, and every execution per task, so that
 * a test can tell a duplicate execution, a 5xx or a lost task from a refused connection during an outage.
 */
public final class Workload implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String channel;
    private final int leaseSeconds;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final LongAdder released = new LongAdder();
    private final List<Future<?>> workers = new ArrayList<>();
    private ExecutorService pool;

    public Workload(String channel, int leaseSeconds) {
        this.channel = channel;
        this.leaseSeconds = leaseSeconds;
    }

    /** Creates a group with {@code count} ready tasks of the channel through {@code service}; its id. */
    public String createTasks(URI service, int count) throws IOException, InterruptedException {
        String group = post(service, "api/v1/task_groups", Map.of("name", channel)).json().get("_id").asText();
        for (int from = 0; from < count; from += 1000) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                // Inputs unique across groups: a worker tells one task from another by its input.
                // No error delay: a reclaimed task is ready again at once, so that a test waits for leases only.
                tasks.add(Map.of("name", "t" + i, "channel", channel, "input", Map.of("group", group, "i", i),
                        "errorDelayInSeconds", 0));
            }
            Reply reply = post(service, "api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks));
            if (reply.status() != 200) {
                throw new IllegalStateException("bulk create: " + reply.status() + " " + reply.json());
            }
        }
        return group;
    }

    /**
     * Starts {@code count} workers; worker {@code i} talks to {@code serviceOf.apply(i)} at each call (so that a
     * test can move it elsewhere) and takes up to {@code batchOf.apply(i)} tasks per acquire.
     */
    public void start(int count, IntFunction<URI> serviceOf, IntFunction<Integer> batchOf) {
        pool = Executors.newFixedThreadPool(count);
        for (int i = 0; i < count; i++) {
            int worker = i;
            workers.add(pool.submit(() -> {
                work("worker-" + worker, () -> serviceOf.apply(worker), batchOf.apply(worker));
                return null;
            }));
        }
    }

    private void work(String workerId, java.util.function.Supplier<URI> service, int batch)
            throws InterruptedException {
        while (!stop.get()) {
            URI target = service.get();
            if (target == null) { // this worker has vanished
                return;
            }
            Reply got = post(target, "api/v1/channel/" + channel + "/acquire_batch",
                    Map.of("workerId", workerId, "limit", batch, "leaseSeconds", leaseSeconds, "waitSeconds", 1));
            if (got.status() != 200) {
                Thread.sleep(got.status() < 0 || got.status() == 503 ? 100 : 10);
                continue;
            }
            List<Map<String, Object>> releases = new ArrayList<>();
            for (JsonNode leased : got.json().get("tasks")) {
                String id = leased.get("task").get("_id").asText();
                executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                releases.add(Map.of("taskId", id, "workerId", workerId, "output", Map.of("by", workerId)));
            }
            if (releases.isEmpty()) {
                continue;
            }
            URI releaseTo = service.get();
            if (releaseTo == null) {
                return; // vanished holding its leases: they are for the reclaimer now
            }
            Reply done = post(releaseTo, "api/v1/tasks/release", Map.of("releases", releases));
            if (done.status() == 200) {
                for (JsonNode result : done.json().get("results")) {
                    if (result.get("status").asInt() == 200) {
                        released.increment();
                    }
                }
            }
        }
    }

    /**
     * Leases up to {@code limit} tasks to a worker that then vanishes without releasing them (their leases are for
     * the reclaimer); how many it took.
     */
    public int acquireAndVanish(URI service, String workerId, int limit) {
        Reply got = post(service, "api/v1/channel/" + channel + "/acquire_batch",
                Map.of("workerId", workerId, "limit", limit, "leaseSeconds", leaseSeconds));
        return got.status() == 200 ? got.json().get("tasks").size() : 0;
    }

    /** Waits until {@code isDone} holds, failing after {@code within}. */
    public void await(java.util.function.BooleanSupplier isDone, Duration within, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!isDone.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; answers: " + statuses);
            }
            Thread.sleep(100);
        }
    }

    public long released() {
        return released.sum();
    }

    /** How often each task was handed to a worker, as the workers saw it. */
    public Map<String, AtomicInteger> executions() {
        return executions;
    }

    /** Answers of one instance by status (-1: no answer: refused, reset or timed out). */
    public Map<Integer, Long> statuses(URI service) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.getOrDefault(service.toString(), Map.of()).forEach((s, n) -> counts.put(s, n.sum()));
        return counts;
    }

    public long answers(URI service, java.util.function.IntPredicate status) {
        return statuses(service).entrySet().stream().filter(e -> status.test(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    record Reply(int status, JsonNode json) {
    }

    private Reply post(URI service, String path, Object body) {
        int status;
        JsonNode json = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(service.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Prefer", "return=minimal")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        statuses.computeIfAbsent(service.toString(), s -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
        return new Reply(status, json);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        if (pool != null) {
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
    }
}
