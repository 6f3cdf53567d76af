package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.tasksOfGroup;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReleaseTest {

    @Inject
    Sql sql;

    private record Leased(String group, String channel, String id) {
    }

    private Leased leasedTask(Map<String, Object> extra) {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        Map<String, Object> body = new HashMap<>(Map.of("name", "t", "channel", channel));
        body.putAll(extra);
        String id = createTask(group, body).getString("_id");
        assertEquals(id, acquire(channel, "holder").getString("task._id"));
        return new Leased(group, channel, id);
    }

    @Test
    void release_by_another_worker_is_409_and_changes_nothing() {
        Leased t = leasedTask(Map.of());
        String before = task(t.id()).prettyPrint();
        release(t.id(), Map.of("workerId", "intruder", "output", 1)).then().statusCode(409)
                .body("message", equalTo("Worker id did not match!"));
        release(t.id(), Map.of("workerId", "intruder", "error", "x")).then().statusCode(409);
        assertEquals(before, task(t.id()).prettyPrint());
    }

    @Test
    void release_of_a_task_nobody_holds_is_409_and_changes_nothing() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = createTask(group, Map.of("name", "t", "channel", channel, "remainingAttempts", 1,
                "errorDelayInSeconds", 0)).getString("_id");
        String ready = task(id).prettyPrint();
        release(id, Map.of("workerId", "w", "output", 1)).then().statusCode(409);
        release(id, Map.of("workerId", "w", "error", "x")).then().statusCode(409);
        assertEquals(ready, task(id).prettyPrint());
        assertEquals(id, acquire(channel, "w").getString("task._id"));
        release(id, Map.of("workerId", "w", "error", "fatal")).then().statusCode(200).body("state", equalTo("failed"));
        String failed = task(id).prettyPrint();
        release(id, Map.of("workerId", "w", "output", 1)).then().statusCode(409);
        assertEquals(failed, task(id).prettyPrint());
        Invariants.assertAll(sql);
    }

    @Test
    void release_fenced_on_a_stale_attempt_is_409() {
        Leased t = leasedTask(Map.of("errorDelayInSeconds", 0));
        release(t.id(), Map.of("workerId", "holder", "error", "first")).then().statusCode(200);
        assertEquals(2, acquire(t.channel(), "holder").getInt("task.attempt"));
        release(t.id(), Map.of("workerId", "holder", "attempt", 1, "output", "late")).then().statusCode(409);
        assertEquals("running", task(t.id()).getString("state"));
        release(t.id(), Map.of("workerId", "holder", "attempt", 2, "output", "ok")).then().statusCode(200)
                .body("isComplete", equalTo(true));
    }

    @Test
    void releasing_a_complete_task_again_returns_it_unchanged() {
        Leased t = leasedTask(Map.of());
        JsonPath done = complete(t.id(), "holder", Map.of("v", 1));
        JsonPath again = release(t.id(), Map.of("workerId", "someone-else", "output", Map.of("v", 2),
                "children", List.of(Map.of("name", "x", "channel", "y")))).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(done.prettyPrint(), again.prettyPrint());
        assertEquals(1, tasksOfGroup(t.group()).size());
    }

    @Test
    void release_of_missing_task_or_without_worker_is_4xx() {
        release("0123456789abcdef01234567", Map.of("workerId", "w")).then().statusCode(404)
                .body("message", notNullValue());
        Leased t = leasedTask(Map.of());
        release(t.id(), Map.of("output", 1)).then().statusCode(400).body("message", equalTo("workerId is required!"));
        release(t.id(), Map.of("workerId", "holder", "workgroupDelayInSeconds", "soon")).then().statusCode(400);
        release(t.id(), Map.of("workerId", "holder", "children", "none")).then().statusCode(400);
        assertEquals("running", task(t.id()).getString("state"));
    }

    @Test
    void acquire_without_worker_id_is_400() {
        post("/api/v1/channel/c/acquire", Map.of()).then().statusCode(400)
                .body("message", equalTo("workerId is required!"));
        post("/api/v1/channel/c/acquire", Map.of("workerId", 5)).then().statusCode(400);
    }

    @Test
    void an_error_consumes_one_attempt_and_holds_the_task_for_its_error_delay() {
        Leased t = leasedTask(Map.of("errorDelayInSeconds", 3600));
        Instant before = Instant.now();
        JsonPath failed = release(t.id(), Map.of("workerId", "holder", "error", "rate limited?")).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(4, failed.getInt("remainingAttempts"));
        assertEquals("scheduled", failed.getString("state"));
        Instant runAfter = Instant.parse(failed.getString("runAfter"));
        assertTrue(Duration.between(before, runAfter).toMinutes() >= 59, "held about an hour: " + runAfter);
        assertNull(acquire(t.channel(), "w").get("task"));
    }

    @Test
    void an_empty_error_message_is_a_failure_and_false_is_a_success() {
        Leased t = leasedTask(Map.of("errorDelayInSeconds", 0));
        release(t.id(), Map.of("workerId", "holder", "error", "")).then().statusCode(200)
                .body("isComplete", equalTo(false)).body("errors", equalTo(List.of("")));
        acquire(t.channel(), "holder");
        release(t.id(), Map.of("workerId", "holder", "error", false, "output", false)).then().statusCode(200)
                .body("isComplete", equalTo(true)).body("output", equalTo(false));
    }

    @Test
    void exhausted_attempts_fail_the_task_and_block_its_descendants() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String parent = createTask(group, Map.of("name", "p", "channel", channel, "remainingAttempts", 2,
                "errorDelayInSeconds", 0)).getString("_id");
        String child = createTask(group, Map.of("name", "c", "channel", unique("c"), "parentIds", List.of(parent)))
                .getString("_id");
        String grandchild = createTask(group, Map.of("name", "gc", "channel", unique("c"),
                "parentIds", List.of(child))).getString("_id");
        for (int i = 0; i < 2; i++) {
            acquire(channel, "w");
            release(parent, Map.of("workerId", "w", "error", "boom " + i)).then().statusCode(200);
        }
        JsonPath failed = task(parent);
        assertEquals("failed", failed.getString("state"));
        assertEquals(0, failed.getInt("remainingAttempts"));
        assertEquals(List.of("boom 0", "boom 1"), failed.getList("errors"));
        assertEquals("blocked", task(child).getString("state"));
        assertEquals("blocked", task(grandchild).getString("state"));
        assertNull(acquire(channel, "w").get("task"));
        get("/api/v1/task_group/" + group).then().body("status", equalTo("failed"))
                .body("taskCounts.failed", equalTo(1)).body("taskCounts.blocked", equalTo(2));
        Invariants.assertAll(sql);
    }

    @Test
    void invalid_children_are_400_and_nothing_is_created_or_completed() {
        Leased t = leasedTask(Map.of());
        List<List<Map<String, Object>>> invalid = List.of(
                List.of(Map.of("_child_id", 1, "_parent_ids", List.of(7), "name", "a", "channel", "c")),
                List.of(Map.of("_child_id", 1, "_parent_ids", List.of(2), "name", "a", "channel", "c"),
                        Map.of("_child_id", 2, "_parent_ids", List.of(1), "name", "b", "channel", "c")),
                List.of(Map.of("_child_id", 1, "_parent_ids", List.of(1), "name", "a", "channel", "c")),
                List.of(Map.of("_child_id", 1, "name", "a", "channel", "c"),
                        Map.of("_child_id", 1, "name", "b", "channel", "c")),
                List.of(Map.of("_child_id", "1", "name", "a", "channel", "c"),
                        Map.of("_child_id", 2, "_parent_ids", List.of(1), "name", "b", "channel", "c")),
                List.of(Map.of("name", "no channel")));
        for (List<Map<String, Object>> children : invalid) {
            release(t.id(), Map.of("workerId", "holder", "output", 1, "children", children)).then().statusCode(400)
                    .body("message", notNullValue());
        }
        assertEquals("running", task(t.id()).getString("state"));
        assertEquals(1, tasksOfGroup(t.group()).size());
        complete(t.id(), "holder", "finally");
    }

    @Test
    void children_may_reference_later_siblings() {
        Leased t = leasedTask(Map.of());
        String kids = unique("kids");
        release(t.id(), Map.of("workerId", "holder", "output", 1, "children", List.of(
                Map.of("_child_id", "last", "_parent_ids", List.of("first", "middle"), "name", "last", "channel", kids),
                Map.of("_child_id", "middle", "_parent_ids", List.of("first"), "name", "middle", "channel", kids),
                Map.of("_child_id", "first", "name", "first", "channel", kids),
                Map.of("_parent_ids", List.of(), "name", "independent", "channel", kids)))).then().statusCode(200);
        List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonPath next = acquire(kids, "w");
            order.add(next.getString("task.name"));
            if (next.getString("task.name").equals("independent")) {
                assertEquals(List.of(), next.getList("task.parentIds"));
            }
            complete(next.getString("task._id"), "w", i);
        }
        // acquire order is creation order (array order) among ready tasks: middle and last are older than independent
        assertEquals(List.of("first", "middle", "last", "independent"), order);
        Invariants.assertAll(sql);
    }

    @Test
    void children_delay_holds_new_and_existing_children() {
        Leased t = leasedTask(Map.of());
        String existing = createTask(t.group(), Map.of("name", "existing", "channel", unique("c"),
                "parentIds", List.of(t.id()))).getString("_id");
        Instant before = Instant.now();
        release(t.id(), Map.of("workerId", "holder", "output", 1, "childrenDelayInSeconds", 600,
                "children", List.of(Map.of("name", "new", "channel", unique("c"))))).then().statusCode(200);
        for (Map<String, Object> child : tasksOfGroup(t.group())) {
            if (!child.get("_id").equals(t.id())) {
                assertEquals("scheduled", child.get("state"), "child " + child.get("name"));
                Instant runAfter = Instant.parse((String) child.get("runAfter"));
                assertTrue(Duration.between(before, runAfter).toSeconds() >= 590);
            }
        }
        assertEquals("scheduled", task(existing).getString("state"));
    }

    @Test
    void a_paused_group_keeps_its_tasks_from_being_acquired() {
        String group = createGroup(unique("paused"), true);
        String channel = unique("c");
        JsonPath created = createTask(group, Map.of("name", "t", "channel", channel));
        assertEquals(true, created.getBoolean("isPaused"));
        assertNull(acquire(channel, "w").get("task"));
    }
}
