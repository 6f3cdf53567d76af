package io.crewjvm.client;

import static io.crewjvm.client.ClientTests.groupStatus;
import static io.crewjvm.client.ClientTests.options;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.Await;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JVM worker client against the service: DAGs, errors, delays, heartbeats, batch mode, interval polling. */
@QuarkusTest
class JavaWorkerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** A worker made of a function, for tests. */
    private interface Body {
        TaskResult run(JsonNode input, List<Parent> parents) throws Exception;
    }

    private static Worker worker(String channel, Body body) {
        return new Worker("test " + channel, channel) {
            @Override
            public TaskResult execute(JsonNode input, List<Parent> parents) throws Exception {
                return body.run(input, parents);
            }
        };
    }

    private static void awaitComplete(String group) throws InterruptedException {
        Await.until("group " + group + " is complete", TIMEOUT, () -> groupStatus(group).equals("complete"));
    }

    @Test
    void a_worker_group_runs_a_continuation_dag_whose_join_sees_its_parents_outputs() throws Exception {
        String fan = unique("fan");
        String sum = unique("sum");
        Worker fanOut = worker(fan, (input, parents) -> {
            List<Child> children = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                children.add(Child.of("leaf " + i, sum).childId(i).input(Map.of("n", i)));
            }
            children.add(Child.of("join", sum).childId(9).parentChildIds(1, 2, 3).input(Map.of("join", true)));
            return TaskResult.of(input.get("n").asInt()).withChildren(children);
        });
        Worker adder = worker(sum, (input, parents) -> input.has("join")
                ? TaskResult.of(parents.stream().mapToInt(parent -> parent.output().asInt()).sum())
                : TaskResult.of(input.get("n").asInt() * 10));
        String group = createGroup(unique("dag"));
        createTask(group, Map.of("name", "root", "channel", fan, "input", Map.of("n", 5)));
        try (WorkerGroup workers = new WorkerGroup(options(base, new RecordingListener()))) {
            workers.add(fanOut).add(adder, 3).start();
            awaitComplete(group);
        }
        String join = sql.text("SELECT id FROM task WHERE group_id = ? AND name = 'join'", group);
        assertEquals(60, task(join).getInt("output"), "the join adds its three parents' outputs");
        assertEquals(5, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group));
        Invariants.assertAll(sql);
    }

    @Test
    void a_permanent_task_error_fails_the_task_for_good_after_one_attempt() throws Exception {
        String channel = unique("permanent");
        Worker refused = worker(channel, (input, parents) -> {
            throw TaskError.permanent("invalid campaign", Map.of("code", 400));
        });
        String group = createGroup(unique("permanent"));
        String id = createTask(group, Map.of("name", "refused", "channel", channel, "remainingAttempts", 5,
                "errorDelayInSeconds", 0)).getString("_id");
        RecordingListener listener = new RecordingListener();
        try (WorkerGroup workers = new WorkerGroup(options(base, listener))) {
            workers.add(refused).start();
            Await.until("the task failed", TIMEOUT, () -> task(id).getString("state").equals("failed"));
        }
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ?", id), "one attempt of five");
        assertEquals(Released.Kind.FAILED, listener.outcome(id).kind());
        assertEquals("failed", groupStatus(group));
    }

    @Test
    void a_task_error_is_recorded_as_its_structured_output_and_the_task_retries() throws Exception {
        String channel = unique("flaky");
        AtomicInteger runs = new AtomicInteger();
        Worker flaky = worker(channel, (input, parents) -> {
            if (runs.incrementAndGet() == 1) {
                throw new TaskError("upstream said no", Map.of("code", 503, "retryable", true));
            }
            return TaskResult.of("fine");
        });
        String group = createGroup(unique("errors"));
        String id = createTask(group, Map.of("name", "flaky", "channel", channel, "errorDelayInSeconds", 0))
                .getString("_id");
        RecordingListener listener = new RecordingListener();
        try (WorkerGroup workers = new WorkerGroup(options(base, listener))) {
            workers.add(flaky).start();
            awaitComplete(group);
        }
        assertEquals(List.of(Map.of("code", 503, "retryable", true)), task(id).getList("errors"));
        assertEquals(JSON.valueToTree(Map.of("code", 503, "retryable", true)), JSON.readTree(sql.text(
                "SELECT error::text FROM task_attempt WHERE task_id = ? AND attempt = 1 AND outcome = 'failed'", id)));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND attempt = 2 "
                + "AND outcome = 'completed'", id));
        assertEquals(Released.Kind.COMPLETED, listener.outcome(id).kind());
    }

    @Test
    void a_workgroup_delay_holds_the_task_for_the_pause_without_consuming_its_only_attempt() throws Exception {
        String channel = unique("limited");
        String workgroup = unique("api");
        AtomicInteger runs = new AtomicInteger();
        Worker limited = worker(channel, (input, parents) -> {
            if (runs.incrementAndGet() == 1) {
                throw new TaskError("429 Too Many Requests").withWorkgroupDelay(2);
            }
            return TaskResult.of("done");
        });
        String group = createGroup(unique("wg"));
        String id = createTask(group, Map.of("name", "call", "channel", channel, "workgroup", workgroup,
                "remainingAttempts", 1)).getString("_id");
        try (WorkerGroup workers = new WorkerGroup(options(base, new RecordingListener()))) {
            workers.add(limited).start();
            awaitComplete(group);
        }
        assertEquals(2, runs.get());
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt a1 JOIN task_attempt a2 ON a2.task_id = a1.task_id "
                + "AND a2.attempt = 2 WHERE a1.task_id = ? AND a1.attempt = 1 AND a1.outcome = 'failed' "
                + "AND a2.acquired_at >= a1.finished_at + interval '1900 milliseconds'", id),
                "the second attempt waited for the workgroup's pause");
    }

    @Test
    void heartbeats_keep_a_task_that_runs_longer_than_its_lease() throws Exception {
        String channel = unique("long");
        Worker slow = worker(channel, (input, parents) -> {
            Thread.sleep(5000);
            return TaskResult.of("slow but sure");
        });
        String group = createGroup(unique("hb"));
        String id = createTask(group, Map.of("name", "long", "channel", channel)).getString("_id");
        RecordingListener listener = new RecordingListener();
        // A two-second lease, reclaimed within a second of its end (test profile) unless the heartbeats extend it.
        try (WorkerGroup workers = new WorkerGroup(options(base, listener).withLeaseSeconds(2))) {
            workers.add(slow).start();
            awaitComplete(group);
        }
        assertEquals(Released.Kind.COMPLETED, listener.outcome(id).kind());
        assertEquals("completed", sql.text("SELECT string_agg(outcome::text, ',') FROM task_attempt WHERE task_id = ?",
                id), "one attempt, never reclaimed");
    }

    @Test
    void batch_mode_takes_and_releases_many_tasks_per_call_and_runs_each_once() throws Exception {
        String channel = unique("batch");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Worker counter = worker(channel, (input, parents) -> {
            runs.computeIfAbsent(input.get("i").asText(), i -> new AtomicInteger()).incrementAndGet();
            return TaskResult.of(input.get("i").asInt());
        });
        String group = createGroup(unique("batch"));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "input", Map.of("i", i)));
        }
        io.crewjvm.support.Api.post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks))
                .then().statusCode(200);
        try (FaultyProxy proxy = new FaultyProxy(base);
             WorkerGroup workers = new WorkerGroup(options(proxy.url(), new RecordingListener()).withBatchSize(10))) {
            workers.add(counter, 2).start();
            awaitComplete(group);
            workers.shutdown();
            assertTrue(proxy.traffic().contains("/acquire_batch HTTP/1.1"));
            assertTrue(proxy.traffic().contains("POST /api/v1/tasks/release HTTP/1.1"));
            assertFalse(proxy.traffic().contains("/acquire HTTP/1.1"), "no single acquire");
        }
        assertEquals(40, runs.size());
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "each task ran once: " + runs);
        assertEquals(40, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed'", group));
    }

    @Test
    void interval_polling_takes_tasks_without_long_polling() throws Exception {
        String channel = unique("interval");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Worker recorder = worker(channel, (input, parents) -> {
            seen.add(input.get("name").asText());
            return TaskResult.empty();
        });
        String group = createGroup(unique("poll"));
        try (FaultyProxy proxy = new FaultyProxy(base);
             WorkerGroup workers = new WorkerGroup(options(proxy.url(), new RecordingListener()).withWaitSeconds(0)
                     .withPollInterval(Duration.ofMillis(200)))) {
            workers.add(recorder).start();
            createTask(group, Map.of("name", "later", "channel", channel, "input", Map.of("name", "later")));
            awaitComplete(group);
            workers.shutdown();
            assertTrue(proxy.traffic().contains("/acquire HTTP/1.1"));
            assertFalse(proxy.traffic().contains("waitSeconds"), "interval polling does not long-poll");
        }
        assertEquals(Set.of("later"), seen);
    }
}
