package io.crewjvm.task;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tasks created with existing parents while one of those parents is released: the release that completes the last
 * parent frees the new task in the same transaction (invariant 2), whichever of the two starts first. The races are
 * forced by holding the new task's group: the creation waits there with its parents locked, after a release of one
 * of them has read the edges.
 */
@QuarkusTest
class CreateUnderRunningParentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_parent_released_while_a_task_is_created_under_it_frees_that_task() throws Exception {
        String parent = leased(createGroup(unique("g")));
        String group = createGroup(unique("g"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = holding(group)) {
            Future<JsonNode> created = pool.submit(() -> createOne(group, List.of(parent)));
            awaitBlockedBy(holder, 1);
            Future<Integer> released = pool.submit(() -> release(parent, Map.of("workerId", "w", "output", 1))
                    .statusCode());
            awaitLockWaits(2);
            holder.commit();
            String child = created.get(1, TimeUnit.MINUTES).get("_id").asText();
            assertEquals(200, released.get(1, TimeUnit.MINUTES));
            assertEquals("complete", task(parent).getString("state"));
            assertEquals("ready", task(child).getString("state"));
        } finally {
            pool.shutdownNow();
        }
        Invariants.assertAll(sql);
    }

    @Test
    void a_parent_released_while_a_bulk_creation_gives_it_children_frees_them() throws Exception {
        String parent = leased(createGroup(unique("g")));
        String group = createGroup(unique("g"));
        List<Map<String, Object>> batch = List.of(
                Map.of("_child_id", 1, "name", "under the parent", "channel", unique("c"),
                        "parentIds", List.of(parent)),
                Map.of("_child_id", 2, "name", "under both", "channel", unique("c"), "parentIds", List.of(parent),
                        "_parent_ids", List.of(1)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = holding(group)) {
            Future<JsonNode> created = pool.submit(() -> createMany(group, batch));
            awaitBlockedBy(holder, 1);
            Future<Integer> released = pool.submit(() -> release(parent, Map.of("workerId", "w", "output", 1))
                    .statusCode());
            awaitLockWaits(2);
            holder.commit();
            JsonNode children = created.get(1, TimeUnit.MINUTES);
            assertEquals(200, released.get(1, TimeUnit.MINUTES));
            assertEquals("complete", task(parent).getString("state"));
            assertEquals("ready", task(children.get(0).get("_id").asText()).getString("state"));
            assertEquals("waiting", task(children.get(1).get("_id").asText()).getString("state"));
            assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?",
                    children.get(1).get("_id").asText()));
        } finally {
            pool.shutdownNow();
        }
        Invariants.assertAll(sql);
    }

    /**
     * The creation's lock statement reads the parents, then waits for the first one; the second starts running
     * meanwhile, and is released while the creation waits for its group. The lock taken on it was chosen for a
     * task that was not running: the creation must start over, or that release misses the new edge.
     */
    @Test
    void a_parent_that_starts_running_while_the_creation_waits_for_another_is_locked_for_its_release()
            throws Exception {
        String parents = createGroup(unique("g"));
        List<String> two = new ArrayList<>(List.of(newTask(parents), newTask(parents)));
        two.sort(null);
        String first = two.get(0);
        String second = two.get(1);
        assertEquals(first, acquire(task(first).getString("channel"), "w").getString("task._id"));
        complete(first, "w", 1);
        String group = createGroup(unique("g"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection groupHolder = holding(group); Connection firstHolder = dataSource.getConnection()) {
            firstHolder.setAutoCommit(false);
            lock(firstHolder, "SELECT id FROM task WHERE id = ? FOR UPDATE", first);
            Future<JsonNode> created = pool.submit(() -> createOne(group, List.of(first, second)));
            awaitBlockedBy(firstHolder, 1);
            assertEquals(second, acquire(task(second).getString("channel"), "w").getString("task._id"));
            firstHolder.commit();
            awaitBlockedBy(groupHolder, 1);
            Future<Integer> released = pool.submit(() -> release(second, Map.of("workerId", "w", "output", 2))
                    .statusCode());
            awaitLockWaits(2);
            groupHolder.commit();
            String child = created.get(1, TimeUnit.MINUTES).get("_id").asText();
            assertEquals(200, released.get(1, TimeUnit.MINUTES));
            assertEquals("complete", task(second).getString("state"));
            assertEquals("ready", task(child).getString("state"));
        } finally {
            pool.shutdownNow();
        }
        Invariants.assertAll(sql);
    }

    /** Only a running parent can be released before the creation commits: the others keep their row version. */
    @Test
    void a_creation_writes_a_new_version_of_its_running_parents_only() throws Exception {
        String group = createGroup(unique("g"));
        String running = leased(group);
        String done = leased(group);
        complete(done, "w", 1);
        String ready = newTask(group);
        String waiting = createTask(group, Map.of("name", "w", "channel", unique("c"), "parentIds", List.of(running)))
                .getString("_id");
        Map<String, String> before = versions(List.of(running, done, ready, waiting));
        String document = task(running).prettify();
        JsonNode created = createMany(group, List.of(Map.of("name", "child", "channel", unique("c"),
                "parentIds", List.of(ready, running, waiting, done))));
        Map<String, String> after = versions(List.of(running, done, ready, waiting));
        assertNotEquals(before.get(running), after.get(running));
        assertEquals(before.get(done), after.get(done));
        assertEquals(before.get(ready), after.get(ready));
        assertEquals(before.get(waiting), after.get(waiting));
        assertEquals(document, task(running).prettify(), "the running parent's document is unchanged");
        assertEquals("waiting", created.get(0).get("state").asText());
        assertEquals(3, sql.count("SELECT parents_left FROM task WHERE id = ?", created.get(0).get("_id").asText()));
        Invariants.assertAll(sql);
    }

    /**
     * Eight creators give children (single and bulk creations, one to three parents each, some also under a sibling)
     * to running parents while every parent is released, in single and batch releases; the releases are paced by
     * the creations (three before each), so that most of them overlap creations under the same parent. No child is
     * left waiting for parents that are all complete, and every counter of open parents is exact.
     */
    @Test
    void children_created_under_running_parents_while_they_are_released_are_never_left_waiting() throws Exception {
        Http http = new Http(base);
        String parentGroup = createGroup(unique("parents"));
        String channel = unique("parents");
        List<Map<String, Object>> parentTasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            parentTasks.add(Map.of("name", "p" + i, "channel", channel));
        }
        List<String> parents = new ArrayList<>();
        http.post("api/v1/task_group/" + parentGroup + "/tasks/bulk", Map.of("tasks", parentTasks)).json()
                .forEach(t -> parents.add(t.get("_id").asText()));
        assertEquals(24, http.post("api/v1/channel/" + channel + "/acquire_batch",
                Map.of("workerId", "w", "limit", 24)).json().get("tasks").size());
        String group = createGroup(unique("children"));
        Semaphore creations = new Semaphore(0);
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> creators = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            Random random = new Random(c);
            creators.add(pool.submit(() -> {
                int after = 0;
                while (after < 5) {
                    List<String> some = new ArrayList<>();
                    for (int n = 1 + random.nextInt(3); some.size() < n; ) {
                        String p = parents.get(random.nextInt(parents.size()));
                        if (!some.contains(p)) {
                            some.add(p);
                        }
                    }
                    Http.Reply reply = random.nextBoolean()
                            ? http.post("api/v1/task_group/" + group + "/tasks",
                                    Map.of("name", "child", "channel", channel + "-children", "parentIds", some))
                            : http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                                    Map.of("_child_id", 1, "name", "child", "channel", channel + "-children",
                                            "parentIds", some),
                                    Map.of("_child_id", 2, "name", "grandchild", "channel", channel + "-children",
                                            "parentIds", some.subList(0, 1), "_parent_ids", List.of(1)))));
                    if (reply.status() != 200) {
                        failures.incrementAndGet();
                    }
                    creations.release();
                    if (released.getCount() == 0) {
                        after++;
                    }
                }
                return null;
            }));
        }
        List<Future<?>> releasers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int half = r;
            releasers.add(pool.submit(() -> {
                for (int i = half; i < parents.size(); i += 4) {
                    assertTrue(creations.tryAcquire(3, 1, TimeUnit.MINUTES));
                    assertEquals(200, http.post("api/v1/task/" + parents.get(i) + "/release",
                            Map.of("workerId", "w", "output", i)).status());
                    assertTrue(creations.tryAcquire(3, 1, TimeUnit.MINUTES));
                    List<Map<String, Object>> batch = List.of(
                            Map.of("taskId", parents.get(i + 2), "workerId", "w", "output", i + 2));
                    JsonNode results = http.post("api/v1/tasks/release", Map.of("releases", batch)).json();
                    assertEquals(200, results.get("results").get(0).get("status").asInt(), results.toString());
                }
                return null;
            }));
        }
        try {
            for (Future<?> releaser : releasers) {
                releaser.get(5, TimeUnit.MINUTES);
            }
        } finally {
            released.countDown();
        }
        try {
            for (Future<?> creator : creators) {
                creator.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, failures.get(), "creations that failed");
        assertEquals(24, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", parentGroup));
        assertEquals(0, sql.count("SELECT count(*) FROM task c WHERE c.group_id = ? AND c.state = 'waiting' "
                + "AND NOT EXISTS (SELECT 1 FROM task_edge e JOIN task p ON p.id = e.parent_id "
                + "WHERE e.child_id = c.id AND p.state <> 'complete')", group),
                "a child waits for parents that are all complete");
        assertEquals(0, sql.count("SELECT count(*) FROM task c WHERE c.group_id = ? AND c.name = 'child' "
                + "AND c.state <> 'ready'", group), "a child of complete parents only is not ready");
        Invariants.assertAll(sql);
    }

    /** A transaction holding the group's row: a task created in it waits there, with its parents locked. */
    private Connection holding(String group) throws SQLException {
        Connection holder = dataSource.getConnection();
        holder.setAutoCommit(false);
        lock(holder, "SELECT id FROM task_group WHERE id = ? FOR UPDATE", group);
        return holder;
    }

    private static void lock(Connection holder, String sql, String id) throws SQLException {
        try (PreparedStatement lock = holder.prepareStatement(sql)) {
            lock.setString(1, id);
            lock.executeQuery().close();
        }
    }

    private Map<String, String> versions(List<String> ids) {
        Map<String, String> versions = new HashMap<>();
        ids.forEach(id -> versions.put(id, sql.text("SELECT xmin::text FROM task WHERE id = ?", id)));
        return versions;
    }

    private static JsonNode createOne(String group, List<String> parentIds) throws JsonProcessingException {
        return JSON.readTree(post("/api/v1/task_group/" + group + "/tasks", Map.of("name", "child", "channel",
                unique("c"), "parentIds", parentIds)).then().statusCode(200).extract().asString());
    }

    private static JsonNode createMany(String group, List<Map<String, Object>> tasks) throws JsonProcessingException {
        return JSON.readTree(post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then()
                .statusCode(200).extract().asString());
    }

    /** Waits until {@code sessions} sessions wait for a lock that the holder's transaction holds. */
    private void awaitBlockedBy(Connection holder, int sessions) throws Exception {
        int pid;
        try (PreparedStatement ps = holder.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            pid = rs.getInt(1);
        }
        awaitCount("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", sessions, pid);
    }

    private void awaitLockWaits(int sessions) throws InterruptedException {
        awaitCount("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'", sessions);
    }

    private void awaitCount(String query, int count, Object... params) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sql.count(query, params) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " sessions: " + query);
            }
            Thread.sleep(10);
        }
    }

    private static String newTask(String group) {
        return createTask(group, "t", unique("c"));
    }

    /** A task of its own channel, leased to worker "w". */
    private static String leased(String group) {
        String id = newTask(group);
        assertEquals(id, acquire(task(id).getString("channel"), "w").getString("task._id"));
        return id;
    }
}
