package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.acquireBatch;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.task;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BatchAndLongPollTest {

    @Inject
    Sql sql;


    @Test
    void batch_acquire_takes_up_to_limit_in_priority_then_creation_order() {
        String group = createGroup(unique("g"));
        String channel = unique("batch");
        String low = createTask(group, Map.of("name", "low", "channel", channel, "priority", 0)).getString("_id");
        String high = createTask(group, Map.of("name", "high", "channel", channel, "priority", 5)).getString("_id");
        String low2 = createTask(group, Map.of("name", "low2", "channel", channel, "priority", 0)).getString("_id");
        createTask(group, Map.of("name", "rest", "channel", channel));
        JsonPath batch = acquireBatch(channel, Map.of("workerId", "w", "limit", 3));
        assertEquals(List.of(high, low, low2), batch.getList("tasks.task._id"));
        assertEquals(List.of("w", "w", "w"), batch.getList("tasks.task.assignedTo"));
        assertEquals(List.of(List.of(), List.of(), List.of()), batch.getList("tasks.parents"));
        assertEquals(1, acquireBatch(channel, Map.of("workerId", "w", "limit", 10)).getList("tasks").size());
        assertEquals(List.of(), acquireBatch(channel, Map.of("workerId", "w")).getList("tasks"));
        Invariants.assertAll(sql);
    }

    @Test
    void batch_acquire_takes_one_task_per_duplicate_key() {
        String group = createGroup(unique("g"));
        String channel = unique("keys");
        for (int i = 0; i < 4; i++) {
            createTask(group, Map.of("name", "dup" + i, "channel", channel, "key", "same"));
        }
        createTask(group, Map.of("name", "other", "channel", channel, "key", "other"));
        JsonPath batch = acquireBatch(channel, Map.of("workerId", "w", "limit", 10));
        assertEquals(2, batch.getList("tasks").size());
        assertEquals(List.of(), acquireBatch(channel, Map.of("workerId", "w2", "limit", 10)).getList("tasks"));
        Invariants.assertAll(sql);
    }

    @Test
    void bad_batch_requests_are_400() {
        post("/api/v1/channel/c/acquire_batch", Map.of("workerId", "w", "limit", 0)).then().statusCode(400);
        post("/api/v1/channel/c/acquire_batch", Map.of("workerId", "w", "limit", 5000)).then().statusCode(400);
        post("/api/v1/channel/c/acquire_batch", Map.of("limit", 5)).then().statusCode(400)
                .body("message", equalTo("workerId is required!"));
        post("/api/v1/channel/c/acquire", Map.of("workerId", "w", "waitSeconds", 31)).then().statusCode(400);
        post("/api/v1/tasks/release", Map.of("releases", "nope")).then().statusCode(400);
    }

    @Test
    void batch_release_reports_each_outcome_in_order() {
        String group = createGroup(unique("g"));
        String channel = unique("rel");
        String a = createTask(group, "a", channel);
        String b = createTask(group, "b", channel);
        String c = createTask(group, "c", channel);
        acquireBatch(channel, Map.of("workerId", "w", "limit", 3));
        JsonPath results = post("/api/v1/tasks/release", Map.of("releases", List.of(
                Map.of("taskId", a, "workerId", "w", "output", Map.of("n", 1)),
                Map.of("taskId", b, "workerId", "intruder", "output", 2),
                Map.of("taskId", c, "workerId", "w", "error", "boom"),
                Map.of("taskId", "0123456789abcdef01234567", "workerId", "w"),
                Map.of("taskId", "bad", "workerId", "w")))).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(200, 409, 200, 404, 400), results.getList("results.status"));
        assertEquals(true, results.getBoolean("results[0].task.isComplete"));
        assertEquals(1, results.getInt("results[0].task.output.n"));
        assertEquals("Worker id did not match!", results.getString("results[1].message"));
        assertEquals(List.of("boom"), results.getList("results[2].task.errors"));
        assertEquals("running", task(b).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void long_poll_returns_as_soon_as_a_task_is_created() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("lp");
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() ->
                post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w", "waitSeconds", 20)).then()
                        .statusCode(200).extract().jsonPath());
        Thread.sleep(300); // let the request park
        long created = System.nanoTime();
        String id = createTask(group, "wake", channel);
        JsonPath acquired = waiting.get(15, TimeUnit.SECONDS);
        long latencyMillis = Duration.ofNanos(System.nanoTime() - created).toMillis();
        assertEquals(id, acquired.getString("task._id"));
        assertTrue(latencyMillis < 900, "woken by the notification, not the 1 s re-check: " + latencyMillis + " ms");
    }

    @Test
    void long_poll_gives_up_after_wait_seconds_with_no_task() {
        long start = System.nanoTime();
        JsonPath none = post("/api/v1/channel/" + unique("empty") + "/acquire", Map.of("workerId", "w",
                "waitSeconds", 2)).then().statusCode(200).extract().jsonPath();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertNull(none.get("task"));
        assertTrue(elapsed >= 1900 && elapsed < 6000, "waited about 2 s: " + elapsed + " ms");
    }

    @Test
    void long_poll_wakes_for_a_delayed_task_when_it_falls_due() {
        String group = createGroup(unique("g"));
        String channel = unique("due");
        String id = createTask(group, Map.of("name", "soon", "channel", channel,
                "runAfter", java.time.Instant.now().plusSeconds(2).toString())).getString("_id");
        assertNull(acquire(channel, "w").get("task"));
        JsonPath acquired = post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "waitSeconds", 10)).then().statusCode(200).extract().jsonPath();
        assertEquals(id, acquired.getString("task._id"));
    }

    @Test
    void bulk_create_builds_a_dag_in_any_order_in_one_transaction() {
        String group = createGroup(unique("g"));
        String channel = unique("bulk");
        String existing = createTask(group, "existing", unique("p"));
        JsonPath created = post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 3, "_parent_ids", List.of(1, 2), "name", "join", "channel", channel),
                Map.of("_child_id", 1, "name", "left", "channel", channel),
                Map.of("_child_id", 2, "name", "right", "channel", channel, "parentIds", List.of(existing)))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("join", "left", "right"), created.getList("name"));
        assertEquals(List.of("waiting", "ready", "waiting"), created.getList("state"));
        assertEquals(List.of(created.getString("[1]._id"), created.getString("[2]._id")),
                created.getList("[0].parentIds"));
        assertEquals(List.of(existing), created.getList("[2].parentIds"));
        Invariants.assertAll(sql);
    }

    @Test
    void bulk_create_rejects_cycles_and_unknown_references_creating_nothing() {
        String group = createGroup(unique("g"));
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 1, "_parent_ids", List.of(2), "name", "a", "channel", "c"),
                Map.of("_child_id", 2, "_parent_ids", List.of(1), "name", "b", "channel", "c"))))
                .then().statusCode(400).body("message", notNullValue());
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 1, "_parent_ids", List.of(9), "name", "a", "channel", "c"))))
                .then().statusCode(400);
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("name", "a", "channel", "c", "parentIds", List.of("0123456789abcdef01234567")))))
                .then().statusCode(400);
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of())).then().statusCode(400);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }
}
