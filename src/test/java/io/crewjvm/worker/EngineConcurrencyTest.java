package io.crewjvm.worker;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine under real concurrency: many HTTP workers, invariants checked in SQL afterwards. */
@QuarkusTest
class EngineConcurrencyTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    private List<String> bulkCreate(Http http, String group, List<Map<String, Object>> tasks) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += 1000) {
            Http.Reply reply = http.post("api/v1/task_group/" + group + "/tasks/bulk",
                    Map.of("tasks", tasks.subList(from, Math.min(tasks.size(), from + 1000))));
            assertEquals(200, reply.status(), reply.json().toString());
            reply.json().forEach(t -> ids.add(t.get("_id").asText()));
        }
        return ids;
    }

    @Test
    void two_thousand_tasks_and_32_workers_execute_every_task_exactly_once() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("load"));
        String channel = unique("load");
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "input", i));
        }
        bulkCreate(http, group, tasks);
        AtomicInteger serverErrors = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<String, String> executedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 32; w++) {
            String workerId = "worker-" + w;
            workers.add(pool.submit(() -> {
                int empty = 0;
                while (done.get() < 2000 && empty < 50) {
                    Http.Reply acquired = http.post("api/v1/channel/" + channel + "/acquire",
                            Map.of("workerId", workerId));
                    if (acquired.status() >= 500) {
                        serverErrors.incrementAndGet();
                        continue;
                    }
                    JsonNode task = acquired.json().get("task");
                    if (task == null || task.isNull()) {
                        empty++;
                        continue;
                    }
                    String id = task.get("_id").asText();
                    if (executedBy.putIfAbsent(id, workerId) != null) {
                        duplicates.incrementAndGet();
                    }
                    Http.Reply released = http.post("api/v1/task/" + id + "/release",
                            Map.of("workerId", workerId, "output", Map.of("by", workerId)));
                    if (released.status() >= 500) {
                        serverErrors.incrementAndGet();
                    } else if (released.status() == 200) {
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(0, serverErrors.get(), "5xx responses");
        assertEquals(0, duplicates.get(), "a task was handed out twice");
        assertEquals(2000, executedBy.size());
        assertEquals(2000, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group));
        assertEquals(2000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed' AND a.attempt = 1", group));
        assertEquals(2000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ?", group), "one attempt per task, no more");
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND output->>'by' <> "
                + "(SELECT worker_id FROM task_attempt a WHERE a.task_id = task.id)", group),
                "each output came from the worker that held the lease");
        assertEquals(1, sql.count("SELECT count(*) FROM task_group_summary WHERE id = ? AND completed_at = "
                + "(SELECT max(completed_at) FROM task WHERE group_id = ?)", group, group),
                "the group's completion is its last task's although its last tasks completed concurrently");
        Invariants.assertAll(sql);
    }

    @Test
    void fan_in_of_50_parents_released_at_the_same_instant_frees_the_child_once_and_at_once() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("fanin"));
        String parents = unique("parents");
        String children = unique("child");
        List<Map<String, Object>> tasks = new ArrayList<>();
        List<Integer> refs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tasks.add(Map.of("_child_id", i, "name", "p" + i, "channel", parents));
            refs.add(i);
        }
        tasks.add(Map.of("_child_id", 50, "_parent_ids", refs, "name", "join", "channel", children));
        List<String> ids = bulkCreate(http, group, tasks);
        String join = ids.get(50);
        Http.Reply batch = http.post("api/v1/channel/" + parents + "/acquire_batch",
                Map.of("workerId", "w", "limit", 50));
        assertEquals(50, batch.json().get("tasks").size());
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Integer>> releases = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String parent = ids.get(i);
            releases.add(pool.submit(() -> {
                gate.await();
                return http.post("api/v1/task/" + parent + "/release", Map.of("workerId", "w", "output", parent))
                        .status();
            }));
        }
        gate.countDown();
        for (Future<Integer> release : releases) {
            assertEquals(200, release.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertEquals("ready", sql.text("SELECT state::text FROM task WHERE id = ?", join),
                "ready as soon as the last parent's release returned");
        assertEquals(0, sql.count("SELECT parents_left FROM task WHERE id = ?", join));
        Http.Reply acquired = http.post("api/v1/channel/" + children + "/acquire", Map.of("workerId", "w"));
        assertEquals(join, acquired.json().get("task").get("_id").asText());
        assertEquals(50, acquired.json().get("parents").size());
        assertTrue(http.post("api/v1/channel/" + children + "/acquire", Map.of("workerId", "w")).json()
                .get("task").isNull());
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ?", join));
        Invariants.assertAll(sql);
    }

    @Test
    void simultaneous_single_releases_grouped_in_statements_are_each_fenced_on_their_own() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("fenced"));
        String channel = unique("fenced");
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel));
        }
        List<String> ids = bulkCreate(http, group, tasks);
        assertEquals(60, http.post("api/v1/channel/" + channel + "/acquire_batch",
                Map.of("workerId", "holder", "limit", 60)).json().get("tasks").size());
        // Every third release comes from a worker that does not hold the task: it must change nothing, while the
        // releases grouped with it in one statement complete.
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(60);
        List<Future<Integer>> releases = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = ids.get(i);
            String worker = i % 3 == 0 ? "intruder" : "holder";
            releases.add(pool.submit(() -> {
                gate.await();
                return http.post("api/v1/task/" + id + "/release", Map.of("workerId", worker, "output", worker))
                        .status();
            }));
        }
        gate.countDown();
        for (int i = 0; i < 60; i++) {
            assertEquals(i % 3 == 0 ? 409 : 200, releases.get(i).get(2, TimeUnit.MINUTES), "release " + i);
        }
        pool.shutdown();
        assertEquals(40, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete' "
                + "AND output::text = '\"holder\"'", group));
        assertEquals(20, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'running' "
                + "AND assigned_to = 'holder' AND output IS NULL", group), "the intruder changed nothing");
        assertEquals(40, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed'", group));
        Invariants.assertAll(sql);
    }

    @Test
    void a_chain_of_depth_200_completes_in_order() {
        Http http = new Http(base);
        String group = createGroup(unique("chain"));
        String channel = unique("chain");
        List<Map<String, Object>> tasks = new ArrayList<>();
        tasks.add(Map.of("_child_id", 0, "name", "0", "channel", channel));
        for (int i = 1; i < 200; i++) {
            tasks.add(Map.of("_child_id", i, "_parent_ids", List.of(i - 1), "name", String.valueOf(i),
                    "channel", channel));
        }
        List<String> ids = bulkCreate(http, group, tasks);
        for (int i = 0; i < 200; i++) {
            Http.Reply acquired = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"));
            assertEquals(ids.get(i), acquired.json().get("task").get("_id").asText(), "link " + i);
            assertEquals(200, http.post("api/v1/task/" + ids.get(i) + "/release",
                    Map.of("workerId", "w", "output", i)).status());
        }
        assertEquals(200, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group));
        assertEquals("complete", sql.text("SELECT CASE WHEN completed_at IS NOT NULL THEN 'complete' END "
                + "FROM task_group_summary WHERE id = ?", group));
        Invariants.assertAll(sql);
    }

    @Test
    void batch_releases_racing_over_shared_fan_ins_free_each_child_exactly_once() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("batchfanin"));
        String parents = unique("parents");
        String children = unique("children");
        List<Map<String, Object>> tasks = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        List<Integer> even = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tasks.add(Map.of("_child_id", i, "name", "p" + i, "channel", parents));
            all.add(i);
            if (i % 2 == 0) {
                even.add(i);
            }
        }
        tasks.add(Map.of("_child_id", 300, "_parent_ids", all, "name", "all", "channel", children));
        tasks.add(Map.of("_child_id", 301, "_parent_ids", all, "name", "all-too", "channel", children));
        tasks.add(Map.of("_child_id", 302, "_parent_ids", even, "name", "even", "channel", children));
        List<String> ids = bulkCreate(http, group, tasks);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 12; w++) {
            String workerId = "batch-" + w;
            int limit = 1 + w % 4 * 3; // batches of 1, 4, 7 and 10
            workers.add(pool.submit(() -> {
                while (true) {
                    Http.Reply batch = http.post("api/v1/channel/" + parents + "/acquire_batch",
                            Map.of("workerId", workerId, "limit", limit));
                    if (batch.json().get("tasks").isEmpty()) {
                        return null;
                    }
                    List<Map<String, Object>> releases = new ArrayList<>();
                    batch.json().get("tasks").forEach(t -> releases.add(Map.of(
                            "taskId", t.get("task").get("_id").asText(), "workerId", workerId, "output", workerId)));
                    Http.Reply reply = http.post("api/v1/tasks/release", Map.of("releases", releases));
                    if (reply.status() != 200) {
                        failures.incrementAndGet();
                        return null;
                    }
                    reply.json().get("results").forEach(r -> {
                        if (r.get("status").asInt() == 200) {
                            released.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    });
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(0, failures.get(), "every release of every batch succeeded");
        assertEquals(300, released.get());
        for (String child : ids.subList(300, 303)) {
            assertEquals("ready", sql.text("SELECT state::text FROM task WHERE id = ?", child));
        }
        assertEquals(300, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed' AND a.attempt = 1", group));
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND channel = ? AND output #>> '{}' "
                + "<> (SELECT worker_id FROM task_attempt a WHERE a.task_id = task.id)", group, parents),
                "each output came from the worker that held the lease");
        Invariants.assertAll(sql);
    }
}
