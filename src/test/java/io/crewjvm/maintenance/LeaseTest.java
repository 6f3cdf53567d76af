package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Leases, heartbeats and the reclaimer (reclaim interval 1 s in the test profile). */
@QuarkusTest
class LeaseTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Inject
    Reclaimer reclaimer;

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private String createTasks(Http http, String channel, int n) {
        String group = createGroup(unique("lease"));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel));
        }
        assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).status());
        return group;
    }

    @Test
    void a_thousand_vanished_leases_are_reclaimed_exactly_once_in_time() throws Exception {
        Http http = new Http(base);
        String channel = unique("vanish");
        String group = createTasks(http, channel, 1000);
        Instant acquiredAt = Instant.now();
        Http.Reply batch = http.post("api/v1/channel/" + channel + "/acquire_batch",
                Map.of("workerId", "ghost", "limit", 1000, "leaseSeconds", 2));
        assertEquals(1000, batch.json().get("tasks").size());
        JsonNode first = batch.json().get("tasks").get(0).get("task");
        assertEquals(1, first.get("attempt").asInt());
        Instant expires = Instant.parse(first.get("leaseExpiresAt").asText());
        assertTrue(Duration.between(acquiredAt, expires).toMillis() > 1000, "lease ends about 2 s after acquire");
        // lease 2 s + reclaim interval 1 s + 2 s of slack
        await("all are reclaimed", Duration.ofSeconds(5), () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'ready'", group) == 1000);
        assertEquals(1000, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND remaining_attempts = 4 "
                + "AND errors = '[\"Task not completed in 2 seconds.\"]'", group));
        assertEquals(1000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'abandoned'", group));
        assertEquals(1000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ?", group), "exactly one reclaim per lease");
        Invariants.assertAll(sql);
    }

    @Test
    void a_zombie_release_after_reclaim_and_re_lease_is_409_and_leaves_the_new_lease_alone() throws Exception {
        Http http = new Http(base);
        String channel = unique("zombie");
        createTasks(http, channel, 1);
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "zombie",
                "leaseSeconds", 1)).json().get("task").get("_id").asText();
        await("reclaimed", Duration.ofSeconds(5), () -> "ready".equals(sql.text(
                "SELECT state::text FROM task WHERE id = ?", id)));
        JsonNode fresh = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "alive"))
                .json().get("task");
        assertEquals(id, fresh.get("_id").asText());
        assertEquals(2, fresh.get("attempt").asInt());
        String lease = sql.text("SELECT lease_expires_at::text FROM task WHERE id = ?", id);
        Http.Reply zombie = http.post("api/v1/task/" + id + "/release", Map.of("workerId", "zombie", "output", "x"));
        assertEquals(409, zombie.status());
        assertEquals(409, http.post("api/v1/task/" + id + "/heartbeat", Map.of("workerId", "zombie")).status());
        assertEquals("alive", sql.text("SELECT assigned_to FROM task WHERE id = ?", id));
        assertEquals(lease, sql.text("SELECT lease_expires_at::text FROM task WHERE id = ?", id));
        assertEquals(200, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "alive", "output", "y"))
                .status());
        JsonPath attempts = get("/api/v1/task/" + id + "/attempts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("abandoned", "completed"), attempts.getList("outcome"));
        assertEquals(List.of("zombie", "alive"), attempts.getList("workerId"));
        assertEquals("Task not completed in 1 seconds.", attempts.getString("[0].error"));
    }

    @Test
    void a_heartbeating_worker_keeps_its_task_for_three_times_the_lease() throws Exception {
        Http http = new Http(base);
        String channel = unique("beat");
        createTasks(http, channel, 1);
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "steady",
                "leaseSeconds", 2)).json().get("task").get("_id").asText();
        long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < end) {
            Http.Reply beat = http.post("api/v1/task/" + id + "/heartbeat", Map.of("workerId", "steady"));
            assertEquals(200, beat.status(), beat.json().toString());
            assertEquals(1, beat.json().get("attempt").asInt());
            Thread.sleep(500);
        }
        assertEquals("running", sql.text("SELECT state::text FROM task WHERE id = ?", id));
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome = 'abandoned'", id));
        assertEquals(200, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "steady", "output", 1))
                .status());
    }

    @Test
    void three_reclaimers_at_once_reclaim_each_expired_lease_exactly_once() throws Exception {
        Http http = new Http(base);
        String channel = unique("triple");
        String group = createTasks(http, channel, 600);
        http.post("api/v1/channel/" + channel + "/acquire_batch", Map.of("workerId", "gone", "limit", 600,
                "leaseSeconds", 1));
        // Expire the leases now, on the database clock, so the three threads race the scheduled job for them.
        sql.execute("UPDATE task SET lease_expires_at = now() - interval '1 second' WHERE group_id = ?", group);
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(pool.submit(() -> {
                gate.await();
                return reclaimer.reclaimExpired();
            }));
        }
        gate.countDown();
        for (Future<Integer> run : runs) {
            run.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        await("all reclaimed", Duration.ofSeconds(5), () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'ready'", group) == 600);
        assertEquals(600, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'abandoned'", group));
        assertEquals(600, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND remaining_attempts = 4",
                group), "one attempt consumed each, never two");
        Invariants.assertAll(sql);
    }

    @Test
    void lease_decisions_follow_the_database_clock_not_the_jvm() throws Exception {
        Http http = new Http(base);
        String channel = unique("clock");
        createTasks(http, channel, 1);
        JsonNode task = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "leaseSeconds", 600)).json().get("task");
        String id = task.get("_id").asText();
        assertEquals(600, sql.count("SELECT extract(epoch FROM lease_expires_at - assigned_at)::int FROM task "
                + "WHERE id = ?", id), "the lease is computed by the database");
        // Ten minutes is far in the database's future: nothing happens, whatever the JVM's zone or clock says.
        Thread.sleep(1500);
        assertEquals("running", sql.text("SELECT state::text FROM task WHERE id = ?", id));
        // Move the expiry into the database's past: the next sweep reclaims it.
        sql.execute("UPDATE task SET lease_expires_at = now() - interval '1 millisecond' WHERE id = ?", id);
        await("reclaimed", Duration.ofSeconds(5), () -> "ready".equals(sql.text(
                "SELECT state::text FROM task WHERE id = ?", id)));
    }

    @Test
    void a_lease_expiring_on_the_last_attempt_fails_the_task_and_blocks_below() throws Exception {
        Http http = new Http(base);
        String channel = unique("last");
        String group = createGroup(unique("g"));
        String id = http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "t", "channel", channel,
                "remainingAttempts", 1, "leaseSeconds", 1)).json().get("_id").asText();
        String child = http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "c", "channel", "x",
                "parentIds", List.of(id))).json().get("_id").asText();
        http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"));
        await("failed", Duration.ofSeconds(5), () -> "failed".equals(sql.text(
                "SELECT state::text FROM task WHERE id = ?", id)));
        assertEquals("blocked", sql.text("SELECT state::text FROM task WHERE id = ?", child));
    }

    @Test
    void heartbeat_errors() {
        post("/api/v1/task/0123456789abcdef01234567/heartbeat", Map.of("workerId", "w")).then().statusCode(404)
                .body("message", notNullValue());
        post("/api/v1/task/nope/heartbeat", Map.of("workerId", "w")).then().statusCode(400);
        post("/api/v1/task/0123456789abcdef01234567/heartbeat", Map.of()).then().statusCode(400)
                .body("message", equalTo("workerId is required!"));
        get("/api/v1/task/0123456789abcdef01234567/attempts").then().statusCode(404);
    }
}
