package io.crewjvm.maintenance;

import static io.crewjvm.maintenance.Leases.await;
import static io.crewjvm.maintenance.Leases.createTasks;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** Leases, heartbeats, fenced releases and the reclaimer (every second in the test profile). */
@QuarkusTest
class LeaseTest {

    private static final Logger LOG = Logger.getLogger(LeaseTest.class);

    /** The reclaim interval of the test profile (application.properties). */
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    private String state(String id) {
        return sql.text("SELECT state::text FROM task WHERE id = ?", id);
    }

    /** Everything stored about a task, to show that a refused call changed nothing. */
    private String row(String id) {
        return sql.text("SELECT row_to_json(t)::text FROM task t WHERE id = ?", id);
    }

    @Test
    void a_thousand_leases_of_vanished_workers_are_reclaimed_exactly_once_within_lease_plus_interval_plus_two_seconds()
            throws Exception {
        Http http = new Http(base);
        String channel = unique("vanish");
        String group = createTasks(http, channel, 1000, Map.of("errorDelayInSeconds", 0));
        int lease = 2;
        long start = System.nanoTime();
        // Ten workers take 100 tasks each at the same time, then vanish without a word.
        ExecutorService workers = Executors.newFixedThreadPool(10);
        List<Future<JsonNode>> batches = new ArrayList<>();
        for (int w = 0; w < 10; w++) {
            String workerId = "ghost-" + w;
            batches.add(workers.submit(() -> http.post("api/v1/channel/" + channel + "/acquire_batch",
                    Map.of("workerId", workerId, "limit", 100, "leaseSeconds", lease)).json()));
        }
        int leased = 0;
        for (Future<JsonNode> batch : batches) {
            for (JsonNode entry : batch.get(1, TimeUnit.MINUTES).get("tasks")) {
                JsonNode task = entry.get("task");
                assertEquals(1, task.get("attempt").asInt(), "the acquire tells the worker its attempt");
                assertEquals(Duration.ofSeconds(lease), Duration.between(Instant.parse(task.get("assignedAt").asText()),
                        Instant.parse(task.get("leaseExpiresAt").asText())), "the acquire tells the worker its lease");
                leased++;
            }
        }
        workers.shutdown();
        assertEquals(1000, leased);

        Duration budget = Duration.ofSeconds(lease).plus(INTERVAL).plusSeconds(2);
        await("all 1,000 are reclaimed", budget.minusNanos(System.nanoTime() - start), () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'ready'", group) == 1000);

        assertEquals(1000, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND remaining_attempts = 4 "
                + "AND errors::text = '[\"Task not completed in 2 seconds.\"]' AND assigned_to IS NULL "
                + "AND lease_expires_at IS NULL AND attempt = 1", group), "one attempt consumed, one error each");
        assertEquals(1000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.attempt = 1 AND a.outcome = 'abandoned' "
                + "AND a.error::text = '\"Task not completed in 2 seconds.\"' AND a.worker_id LIKE 'ghost-%'", group));
        assertEquals(1000, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ?", group), "exactly one reclaim per lease, nothing else in the ledger");
        // On the database clock: never before the lease ended, and never later than one interval and 2 s after.
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND (a.finished_at < a.acquired_at + interval '2 seconds' "
                + "OR a.finished_at > a.acquired_at + interval '5 seconds')", group));
        LOG.infof("1,000 vanished leases of %d s reclaimed %s s after the first acquire (database clock)", lease,
                sql.text("SELECT round(extract(epoch FROM max(a.finished_at) - min(a.acquired_at)), 3)::text "
                        + "FROM task_attempt a JOIN task t ON t.id = a.task_id WHERE t.group_id = ?", group));
        Invariants.assertAll(sql);
    }

    @Test
    void a_zombie_release_after_reclaim_and_re_lease_is_409_and_leaves_the_new_lease_untouched() throws Exception {
        Http http = new Http(base);
        String channel = unique("zombie");
        createTasks(http, channel, 1, Map.of("errorDelayInSeconds", 0));
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "zombie",
                "leaseSeconds", 1)).json().get("task").get("_id").asText();
        await("reclaimed", Duration.ofSeconds(5), () -> "ready".equals(state(id)));

        // Between reclaim and re-lease: the old holder is refused and nothing changes.
        String reclaimed = row(id);
        assertEquals(409, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "zombie", "output", "x"))
                .status());
        assertEquals(409, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "zombie", "error", "e"))
                .status());
        assertEquals(reclaimed, row(id));

        JsonNode fresh = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "alive",
                "leaseSeconds", 600)).json().get("task");
        assertEquals(id, fresh.get("_id").asText());
        assertEquals(2, fresh.get("attempt").asInt());
        String leased = row(id);
        Http.Reply zombie = http.post("api/v1/task/" + id + "/release", Map.of("workerId", "zombie", "output", "x"));
        assertEquals(409, zombie.status());
        assertEquals("Worker id did not match!", zombie.json().get("message").asText());
        assertEquals(409, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "zombie", "attempt", 1,
                "error", "late")).status());
        assertEquals(409, http.post("api/v1/task/" + id + "/heartbeat", Map.of("workerId", "zombie")).status());
        assertEquals(leased, row(id), "the new holder's lease, attempts and errors are untouched");
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND finished_at IS NULL", id));

        assertEquals(200, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "alive", "output", "y"))
                .status());
        JsonPath attempts = get("/api/v1/task/" + id + "/attempts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2), attempts.getList("attempt"));
        assertEquals(List.of("abandoned", "completed"), attempts.getList("outcome"));
        assertEquals(List.of("zombie", "alive"), attempts.getList("workerId"));
        assertEquals("Task not completed in 1 seconds.", attempts.getString("[0].error"));
        assertEquals("\"y\"", sql.text("SELECT output::text FROM task WHERE id = ?", id));
        Invariants.assertAll(sql);
    }

    @Test
    void a_worker_that_leases_the_same_task_again_is_fenced_by_the_attempt_number() throws Exception {
        Http http = new Http(base);
        String channel = unique("same");
        createTasks(http, channel, 1, Map.of("errorDelayInSeconds", 0));
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w", "leaseSeconds", 1))
                .json().get("task").get("_id").asText();
        await("reclaimed", Duration.ofSeconds(5), () -> "ready".equals(state(id)));
        assertEquals(2, http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"))
                .json().get("task").get("attempt").asInt());
        String leased = row(id);
        assertEquals(409, http.post("api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "attempt", 1))
                .status());
        assertEquals(409, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "w", "attempt", 1,
                "output", "stale")).status());
        assertEquals(leased, row(id));
        assertEquals(200, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "w", "attempt", 2,
                "output", "fresh")).status());
        assertEquals("complete", state(id));
    }

    @Test
    void a_heartbeating_worker_keeps_its_task_for_three_times_the_lease() throws Exception {
        Http http = new Http(base);
        String channel = unique("beat");
        createTasks(http, channel, 2, Map.of("errorDelayInSeconds", 0));
        int lease = 2;
        String steady = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "steady",
                "leaseSeconds", lease)).json().get("task").get("_id").asText();
        // The control: same lease, no heartbeat. It is reclaimed meanwhile, so the reclaimer was at work.
        String silent = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "silent",
                "leaseSeconds", lease)).json().get("task").get("_id").asText();
        long end = System.nanoTime() + Duration.ofSeconds(3L * lease).toNanos();
        Instant lastExpiry = Instant.EPOCH;
        while (System.nanoTime() < end) {
            Http.Reply beat = http.post("api/v1/task/" + steady + "/heartbeat", Map.of("workerId", "steady"));
            assertEquals(200, beat.status(), beat.json().toString());
            assertEquals(1, beat.json().get("attempt").asInt());
            assertEquals("steady", beat.json().get("assignedTo").asText());
            Instant expiry = Instant.parse(beat.json().get("leaseExpiresAt").asText());
            assertTrue(expiry.isAfter(lastExpiry), "each heartbeat extends the lease");
            lastExpiry = expiry;
            Thread.sleep(500);
        }
        assertEquals("running", state(steady));
        assertEquals("ready", state(silent));
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome IS NOT NULL",
                steady));
        assertEquals(200, http.post("api/v1/task/" + steady + "/release", Map.of("workerId", "steady",
                "attempt", 1, "output", 1)).status());
        assertEquals(List.of("completed"), get("/api/v1/task/" + steady + "/attempts").jsonPath().getList("outcome"));
        assertEquals(List.of("abandoned"), get("/api/v1/task/" + silent + "/attempts").jsonPath().getList("outcome"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_reclaimed_task_waits_for_its_error_delay_like_after_a_failed_release() throws Exception {
        Http http = new Http(base);
        String channel = unique("delay");
        createTasks(http, channel, 1, Map.of("errorDelayInSeconds", 30, "leaseSeconds", 1));
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"))
                .json().get("task").get("_id").asText();
        await("reclaimed", Duration.ofSeconds(5), () -> "scheduled".equals(state(id)));
        assertEquals(1, sql.count("SELECT count(*) FROM task t JOIN task_attempt a ON a.task_id = t.id "
                + "WHERE t.id = ? AND a.outcome = 'abandoned' AND t.remaining_attempts = 4 "
                + "AND t.available_at = a.finished_at + interval '30 seconds' AND t.run_after = t.available_at", id),
                "held for 30 s from the reclaim, on the database clock");
        assertEquals("{\"task\":null}", post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"))
                .then().statusCode(200).extract().asString());
        get("/api/v1/task/" + id).then().body("errors", equalTo(List.of("Task not completed in 1 seconds.")));
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
        String grandchild = http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "g", "channel", "x",
                "parentIds", List.of(child))).json().get("_id").asText();
        http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w"));
        await("failed", Duration.ofSeconds(5), () -> "failed".equals(state(id)));
        assertEquals(0, sql.count("SELECT remaining_attempts FROM task WHERE id = ?", id));
        assertEquals("blocked", state(child));
        assertEquals("blocked", state(grandchild));
        assertEquals("abandoned", sql.text("SELECT outcome::text FROM task_attempt WHERE task_id = ?", id));
        Invariants.assertAll(sql);
    }

    @Test
    void heartbeat_answers_404_400_and_409_as_documented() {
        post("/api/v1/task/0123456789abcdef01234567/heartbeat", Map.of("workerId", "w")).then().statusCode(404)
                .body("message", equalTo("Task with id 0123456789abcdef01234567 not found!"));
        post("/api/v1/task/nope/heartbeat", Map.of("workerId", "w")).then().statusCode(400);
        post("/api/v1/task/0123456789abcdef01234567/heartbeat", Map.of()).then().statusCode(400)
                .body("message", equalTo("workerId is required!"));
        get("/api/v1/task/0123456789abcdef01234567/attempts").then().statusCode(404);

        String group = createGroup(unique("g"));
        String channel = unique("hb");
        String id = io.crewjvm.support.Api.createTask(group, "t", channel);
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w")).then().statusCode(409)
                .body("message", equalTo("Task " + id + " is not leased to worker w"));
        io.crewjvm.support.Api.acquire(channel, "w");
        String leased = row(id);
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "leaseSeconds", 0)).then().statusCode(400);
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "attempt", "one")).then().statusCode(400);
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "other")).then().statusCode(409);
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "attempt", 2)).then().statusCode(409);
        assertEquals(leased, row(id), "refused heartbeats change nothing");
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "attempt", 1, "leaseSeconds", 120))
                .then().statusCode(200).body("_id", equalTo(id)).body("attempt", equalTo(1));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ? AND lease_expires_at > now() + "
                + "interval '110 seconds' AND lease_expires_at <= now() + interval '120 seconds'", id));
    }
}
