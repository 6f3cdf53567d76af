package io.crewjvm.workgroup;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WorkgroupTest {

    @Inject
    Sql sql;

    @Test
    void crew_10_can_complete_task_with_workgroup_delay() {
        String group = createGroup(unique("g"));
        String wg = unique("rateLimitMe");
        String a = unique("test_a");
        String b = unique("test_b");
        String over = createTask(group, Map.of("name", "Over the limit", "channel", a, "workgroup", wg))
                .getString("_id");
        String inA = createTask(group, Map.of("name", "In Workgroup A", "channel", a, "workgroup", wg))
                .getString("_id");
        String inB = createTask(group, Map.of("name", "In Workgroup B", "channel", b, "workgroup", wg))
                .getString("_id");
        assertEquals(over, acquire(a, "w").getString("task._id"));
        Instant timestamp = Instant.now();
        release(over, Map.of("workerId", "w", "output", Map.of("delay", "me"), "children", List.of(),
                "workgroupDelayInSeconds", 35)).then().statusCode(200).body("isComplete", equalTo(true));
        for (String id : List.of(inA, inB)) {
            JsonPath held = task(id);
            assertNotNull(held.getString("runAfter"));
            assertTrue(Instant.parse(held.getString("runAfter")).isAfter(timestamp));
            assertEquals("scheduled", held.getString("state"));
        }
        assertNull(acquire(a, "w").get("task"));
        assertNull(acquire(b, "w").get("task"));
    }

    @Test
    void a_workgroup_delay_holds_tasks_created_later_and_costs_no_attempt() {
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        String channel = unique("c");
        String first = createTask(group, Map.of("name", "first", "channel", channel, "workgroup", wg,
                "errorDelayInSeconds", 0)).getString("_id");
        acquire(channel, "w");
        JsonPath failed = release(first, Map.of("workerId", "w", "error", "429 Too Many Requests",
                "workgroupDelayInSeconds", 3600)).then().statusCode(200).extract().jsonPath();
        assertEquals(5, failed.getInt("remainingAttempts"), "a rate limit does not use up an attempt");
        assertEquals(List.of("429 Too Many Requests"), failed.getList("errors"));
        assertEquals("scheduled", failed.getString("state"));
        JsonPath later = createTask(group, Map.of("name", "later", "channel", channel, "workgroup", wg));
        assertEquals("scheduled", later.getString("state"));
        assertNull(acquire(channel, "w").get("task"));
        get("/api/v1/workgroup/" + wg).then().statusCode(200).body("isPaused", equalTo(true))
                .body("taskCounts.scheduled", equalTo(2));
        post("/api/v1/workgroup/" + wg + "/resume", null).then().statusCode(200).body("isPaused", equalTo(false));
        assertTrue(acquire(channel, "w").getString("task._id") != null);
        Invariants.assertAll(sql);
    }

    @Test
    void a_rate_limited_task_is_retried_when_the_workgroup_pause_ends_not_after_its_error_delay() throws Exception {
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        String channel = unique("c");
        String id = createTask(group, Map.of("name", "limited", "channel", channel, "workgroup", wg,
                "errorDelayInSeconds", 600)).getString("_id");
        acquire(channel, "w");
        release(id, Map.of("workerId", "w", "error", "429", "workgroupDelayInSeconds", 1)).then().statusCode(200)
                .body("state", equalTo("scheduled"));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ? AND available_at <= now() + interval '1 s'"
                + " AND available_at > now()", id), "held by the workgroup pause only");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (acquire(channel, "w").get("task") == null) {
            assertTrue(System.nanoTime() < deadline, "the task was not retried after the 1 s pause");
            Thread.sleep(100);
        }
        assertEquals(5, task(id).getInt("remainingAttempts"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_shorter_delay_keeps_a_longer_pause_and_a_task_keeps_its_own_later_run_after() {
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        String channel = unique("c");
        String farFuture = "2099-01-01T00:00:00.000Z";
        String own = createTask(group, Map.of("name", "own", "channel", channel, "workgroup", wg,
                "runAfter", farFuture)).getString("_id");
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("seconds", 3600)).then().statusCode(200);
        String until = get("/api/v1/workgroup/" + wg).then().extract().path("pausedUntil");
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("seconds", 10)).then().statusCode(200)
                .body("pausedUntil", equalTo(until));
        assertEquals(farFuture, task(own).getString("runAfter"));
        post("/api/v1/workgroup/" + wg + "/resume", null).then().statusCode(200);
        assertEquals("scheduled", task(own).getString("state"), "its own runAfter still holds it");
    }

    @Test
    void pause_until_a_time_and_resume() {
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        String channel = unique("c");
        createTask(group, Map.of("name", "t", "channel", channel, "workgroup", wg));
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("until", "2099-01-01T00:00:00Z", "reason", "quota"))
                .then().statusCode(200).body("pausedUntil", equalTo("2099-01-01T00:00:00.000Z"))
                .body("reason", equalTo("quota"));
        assertNull(acquire(channel, "w").get("task"));
        List<String> names = get("/api/v1/workgroups").then().statusCode(200).extract().path("name");
        assertTrue(names.contains(wg));
        post("/api/v1/workgroup/" + wg + "/resume", null).then().statusCode(200);
        assertTrue(acquire(channel, "w").getString("task._id") != null);
    }

    /**
     * A workgroup known only from its unfinished tasks (no pause, no limits: it has no row) is read by its name, and
     * is listed; once its tasks are complete, it is not known any more.
     */
    @Test
    void a_workgroup_of_unfinished_tasks_alone_is_read_by_name_until_they_complete() {
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        String channel = unique("c");
        String id = createTask(group, Map.of("name", "only", "channel", channel, "workgroup", wg))
                .getString("_id");
        get("/api/v1/workgroup/" + wg).then().statusCode(200).body("name", equalTo(wg))
                .body("isPaused", equalTo(false)).body("taskCounts.ready", equalTo(1));
        assertTrue(get("/api/v1/workgroups").then().statusCode(200).extract().jsonPath()
                .getList("name", String.class).contains(wg), "listed");
        get("/api/v1/workgroup/" + wg + "x").then().statusCode(404);
        acquire(channel, "w");
        release(id, Map.of("workerId", "w", "output", Map.of("ok", true))).then().statusCode(200);
        get("/api/v1/workgroup/" + wg).then().statusCode(404);
    }

    @Test
    void bad_workgroup_requests() {
        String wg = unique("wg");
        get("/api/v1/workgroup/" + wg).then().statusCode(404).body("message", notNullValue());
        post("/api/v1/workgroup/" + wg + "/resume", null).then().statusCode(404);
        post("/api/v1/workgroup/" + wg + "/pause", Map.of()).then().statusCode(400);
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("seconds", 5, "until", "2099-01-01T00:00:00Z"))
                .then().statusCode(400);
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("seconds", 0)).then().statusCode(400);
        post("/api/v1/workgroup/" + wg + "/pause", Map.of("until", "soon")).then().statusCode(400);
        assertEquals(0, sql.count("SELECT count(*) FROM workgroup WHERE name = ?", wg));
    }
}
