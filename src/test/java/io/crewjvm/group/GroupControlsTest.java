package io.crewjvm.group;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.tasksOfGroup;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crew 1.0.25's task_group tests (reference 8.2) and tests 4, 6, 7 of 8.1, over HTTP; plus the fixes. */
@QuarkusTest
class GroupControlsTest {

    @Inject
    Sql sql;

    /** Completes a task the way a worker does (Crew's tests forced it in the database). */
    private static void finish(String id) {
        String channel = task(id).getString("channel");
        assertEquals(id, acquire(channel, "finisher").getString("task._id"));
        complete(id, "finisher", Map.of("done", "yes"));
    }

    private static void exhaust(String id) {
        put("/api/v1/task/" + id, Map.of("errorDelayInSeconds", 0)).then().statusCode(200);
        String channel = task(id).getString("channel");
        while (!"failed".equals(task(id).getString("state"))) {
            assertEquals(id, acquire(channel, "failer").getString("task._id"));
            release(id, Map.of("workerId", "failer", "error", Map.of("oops", "I died"))).then().statusCode(200);
        }
    }

    @Test
    void crew_group_1_can_update_group() {
        String group = createGroup("Wrong Name");
        put("/api/v1/task_group/" + group, Map.of("name", "Right Name")).then().statusCode(200);
        assertEquals("Right Name", get("/api/v1/task_group/" + group).then().extract().path("name"));
    }

    @Test
    void crew_group_2_can_pause_and_unpause_group() {
        String group = createGroup(unique("g"));
        assertFalse(get("/api/v1/task_group/" + group).then().extract().<Boolean>path("isPaused"));
        String channel = unique("test_a");
        createTask(group, "a", channel);
        createTask(group, "b", channel);
        post("/api/v1/task_group/" + group + "/pause", Map.of()).then().statusCode(200).body("isPaused", equalTo(true))
                .body("status", equalTo("paused"));
        List<Map<String, Object>> tasks = tasksOfGroup(group);
        assertEquals(2, tasks.size());
        assertTrue(tasks.stream().allMatch(t -> Boolean.TRUE.equals(t.get("isPaused"))));
        assertNull(acquire(channel, "w").get("task"));
        post("/api/v1/task_group/" + group + "/resume", Map.of()).then().statusCode(200)
                .body("isPaused", equalTo(false));
        assertTrue(tasksOfGroup(group).stream().allMatch(t -> Boolean.FALSE.equals(t.get("isPaused"))));
        assertTrue(acquire(channel, "w").getString("task._id") != null);
    }

    @Test
    void crew_4_new_task_is_paused_in_paused_group_and_a_leased_task_can_still_be_released() {
        String channel = unique("c");
        String group = createGroup(unique("g"));
        String leased = createTask(group, "leased", channel);
        acquire(channel, "w");
        post("/api/v1/task_group/" + group + "/pause", null).then().statusCode(200);
        assertTrue(createTask(group, "new", channel).length() > 0);
        assertTrue(tasksOfGroup(group).stream().allMatch(t -> Boolean.TRUE.equals(t.get("isPaused"))));
        complete(leased, "w", "finished while paused");
        assertNull(acquire(channel, "w").get("task"));
    }

    @Test
    void crew_group_3_can_reset_group_without_seeds() {
        String group = createGroup(unique("g"));
        String done = createTask(group, "done", unique("c"));
        createTask(group, "open", unique("c"));
        finish(done);
        post("/api/v1/task_group/" + group + "/reset", Map.of("remainingAttempts", 2)).then().statusCode(200);
        List<Map<String, Object>> tasks = tasksOfGroup(group);
        assertEquals(2, tasks.size());
        for (Map<String, Object> t : tasks) {
            assertEquals(false, t.get("isComplete"));
            assertEquals(2, t.get("remainingAttempts"));
            assertNull(t.get("output"));
        }
        Invariants.assertAll(sql);
    }

    @Test
    void crew_group_4_can_reset_group_with_seed() {
        String group = createGroup(unique("g"));
        String seed = createTask(group, Map.of("name", "seed", "channel", unique("c"), "isSeed", true))
                .getString("_id");
        finish(seed);
        createTask(group, "spawned", unique("c"));
        post("/api/v1/task_group/" + group + "/reset", Map.of("remainingAttempts", 2)).then().statusCode(200);
        List<Map<String, Object>> tasks = tasksOfGroup(group);
        assertEquals(1, tasks.size());
        assertEquals(seed, tasks.get(0).get("_id"));
        assertEquals(false, tasks.get(0).get("isComplete"));
        assertEquals(2, tasks.get(0).get("remainingAttempts"));
        assertEquals("ready", tasks.get(0).get("state"));
    }

    @Test
    void group_reset_defaults_to_five_attempts_and_recomputes_the_dag() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String parent = createTask(group, "parent", channel);
        String child = createTask(group, Map.of("name", "child", "channel", channel, "parentIds", List.of(parent)))
                .getString("_id");
        finish(parent);
        finish(child);
        get("/api/v1/task_group/" + group).then().body("status", equalTo("complete"))
                .body("completedAt", notNullValue());
        post("/api/v1/task_group/" + group + "/reset", null).then().statusCode(200)
                .body("status", equalTo("running")).body("completedAt", equalTo(null));
        assertEquals(5, task(parent).getInt("remainingAttempts"));
        assertEquals("ready", task(parent).getString("state"));
        assertEquals("waiting", task(child).getString("state"));
        assertEquals(parent, acquire(channel, "w").getString("task._id"));
        assertNull(acquire(channel, "w").get("task"), "the child waits for its reset parent again");
        Invariants.assertAll(sql);
    }

    @Test
    void crew_group_5_can_retry_group() {
        String group = createGroup(unique("g"));
        String done = createTask(group, Map.of("name", "done", "channel", unique("c"), "remainingAttempts", 1))
                .getString("_id");
        String failed = createTask(group, Map.of("name", "failed", "channel", unique("c"), "remainingAttempts", 1))
                .getString("_id");
        String blocked = createTask(group, Map.of("name", "below", "channel", unique("c"),
                "parentIds", List.of(failed))).getString("_id");
        finish(done);
        exhaust(failed);
        assertEquals("blocked", task(blocked).getString("state"));
        post("/api/v1/task_group/" + group + "/retry", Map.of("remainingAttempts", 2)).then().statusCode(200)
                .body("status", equalTo("running"));
        assertEquals(true, task(done).getBoolean("isComplete"));
        JsonPath retried = task(failed);
        assertFalse(retried.getBoolean("isComplete"));
        assertEquals(2, retried.getInt("remainingAttempts"));
        assertEquals("ready", retried.getString("state"));
        assertEquals("waiting", task(blocked).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void crew_6_can_reset_task() {
        String group = createGroup(unique("g"));
        String seed = createTask(group, Map.of("name", "seed", "channel", unique("completed"), "isSeed", true))
                .getString("_id");
        finish(seed);
        JsonPath reset = post("/api/v1/task/" + seed + "/reset", Map.of("remainingAttempts", 2)).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(seed, reset.getString("_id"));
        assertFalse(reset.getBoolean("isComplete"));
        assertEquals(2, reset.getInt("remainingAttempts"));
        assertNull(reset.get("output"));
    }

    @Test
    void task_reset_frees_a_task_held_by_a_dead_worker() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = createTask(group, "t", channel);
        acquire(channel, "dead-worker");
        post("/api/v1/task/" + id + "/reset", null).then().statusCode(200).body("state", equalTo("ready"))
                .body("assignedTo", equalTo(null)).body("remainingAttempts", equalTo(2));
        release(id, Map.of("workerId", "dead-worker", "output", "late")).then().statusCode(409);
        assertEquals(id, acquire(channel, "alive").getString("task._id"));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome = 'reset'", id));
        Invariants.assertAll(sql);
    }

    @Test
    void crew_7_can_retry_task() {
        String group = createGroup(unique("g"));
        String id = createTask(group, Map.of("name", "r", "channel", unique("retry"), "remainingAttempts", 1))
                .getString("_id");
        exhaust(id);
        JsonPath retried = post("/api/v1/task/" + id + "/retry", Map.of("remainingAttempts", 3)).then()
                .statusCode(200).extract().jsonPath();
        assertFalse(retried.getBoolean("isComplete"));
        assertEquals(3, retried.getInt("remainingAttempts"));
        assertEquals("ready", retried.getString("state"));
        assertEquals(List.of(Map.of("oops", "I died")), retried.getList("errors"));
    }

    @Test
    void pluck_copies_a_task_into_a_new_paused_group() {
        String group = createGroup(unique("g"));
        String parent = createTask(group, "parent", unique("c"));
        String id = createTask(group, Map.of("name", "plucked", "channel", "ch", "workgroup", "wg", "key", "k",
                "priority", 3, "input", Map.of("a", 1), "parentIds", List.of(parent), "remainingAttempts", 2))
                .getString("_id");
        JsonPath copy = post("/api/v1/task/" + id + "/pluck", null).then().statusCode(200).extract().jsonPath();
        String newGroup = copy.getString("taskGroupId");
        assertTrue(!newGroup.equals(group));
        assertEquals("plucked", copy.getString("name"));
        assertEquals(3, copy.getInt("priority"));
        assertEquals(1, copy.getInt("input.a"));
        assertEquals(5, copy.getInt("remainingAttempts"));
        assertEquals(List.of(), copy.getList("parentIds"));
        assertTrue(copy.getBoolean("isPaused"));
        get("/api/v1/task_group/" + newGroup).then().body("name", equalTo("Pluck Task " + id))
                .body("isPaused", equalTo(true));
    }

    @Test
    void controls_of_missing_ids_are_404_and_create_nothing() {
        String missing = "0123456789abcdef01234567";
        long groups = sql.count("SELECT count(*) FROM task_group");
        for (String action : List.of("pause", "resume", "reset", "retry")) {
            post("/api/v1/task_group/" + missing + "/" + action, null).then().statusCode(404)
                    .body("message", notNullValue());
        }
        for (String action : List.of("reset", "retry", "pluck")) {
            post("/api/v1/task/" + missing + "/" + action, null).then().statusCode(404)
                    .body("message", notNullValue());
        }
        assertEquals(groups, sql.count("SELECT count(*) FROM task_group"), "pluck of a missing task made a group");
    }

    @Test
    void controls_with_bad_bodies_are_400_and_change_nothing() {
        String group = createGroup(unique("g"));
        String id = createTask(group, "t", unique("c"));
        for (Object attempts : List.of(0, -1, "two", 1.5)) {
            post("/api/v1/task_group/" + group + "/retry", Map.of("remainingAttempts", attempts)).then()
                    .statusCode(400);
            post("/api/v1/task_group/" + group + "/reset", Map.of("remainingAttempts", attempts)).then()
                    .statusCode(400);
            post("/api/v1/task/" + id + "/retry", Map.of("remainingAttempts", attempts)).then().statusCode(400);
            post("/api/v1/task/" + id + "/reset", Map.of("remainingAttempts", attempts)).then().statusCode(400);
        }
        given().contentType("application/json").body("{x").when().post("/api/v1/task/" + id + "/reset").then()
                .statusCode(400);
        post("/api/v1/task_group/bad/pause", null).then().statusCode(400);
        assertEquals(5, task(id).getInt("remainingAttempts"));
    }
}
