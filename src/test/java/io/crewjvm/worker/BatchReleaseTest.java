package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquireBatch;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.releaseBatch;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import static io.restassured.RestAssured.given;

import io.crewjvm.support.Invariants;
import io.restassured.http.ContentType;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch release: the common successes complete in one statement, everything else as if released alone. */
@QuarkusTest
class BatchReleaseTest {

    @Inject
    Sql sql;



    @Test
    void a_child_whose_parents_are_all_in_one_batch_becomes_ready_once_and_the_group_completes() {
        String group = createGroup(unique("g"));
        String channel = unique("fanin");
        List<String> ids = post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 1, "name", "left", "channel", channel),
                Map.of("_child_id", 2, "name", "right", "channel", channel),
                Map.of("_child_id", 3, "_parent_ids", List.of(1, 2), "name", "join", "channel", channel))))
                .then().statusCode(200).extract().jsonPath().getList("_id");
        assertEquals(List.of(ids.get(0), ids.get(1)), acquireBatch(channel, Map.of("workerId", "w", "limit", 10)).getList("tasks.task._id"));
        JsonPath results = releaseBatch(List.of(
                Map.of("taskId", ids.get(0), "workerId", "w", "output", "L"),
                Map.of("taskId", ids.get(1), "workerId", "w", "output", Map.of("r", 2))));
        assertEquals(List.of(200, 200), results.getList("results.status"));
        assertEquals(List.of("L", Map.of("r", 2)), results.getList("results.task.output"));
        assertEquals("ready", task(ids.get(2)).getString("state"));
        assertEquals(0, sql.count("SELECT parents_left FROM task WHERE id = ?", ids.get(2)));
        assertNull(get("/api/v1/task_group/" + group).jsonPath().get("completedAt"));

        assertEquals(List.of(ids.get(2)), acquireBatch(channel, Map.of("workerId", "w", "limit", 10)).getList("tasks.task._id"));
        releaseBatch(List.of(Map.of("taskId", ids.get(2), "workerId", "w", "output", 3)));
        assertNotNull(get("/api/v1/task_group/" + group).jsonPath().get("completedAt"),
                "the batch that finished the group completed it");
        assertEquals(3, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed'", group));
        Invariants.assertAll(sql);
    }

    @Test
    void a_task_named_twice_completes_once_with_the_first_output() {
        String group = createGroup(unique("g"));
        String channel = unique("twice");
        String id = createTask(group, "t", channel);
        acquireBatch(channel, Map.of("workerId", "w", "limit", 1)).getList("tasks.task._id");
        JsonPath results = releaseBatch(List.of(
                Map.of("taskId", id, "workerId", "w", "output", "first"),
                Map.of("taskId", id, "workerId", "w", "output", "second")));
        assertEquals(List.of(200, 200), results.getList("results.status"));
        assertEquals(List.of("first", "first"), results.getList("results.task.output"));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ?", id));
        Invariants.assertAll(sql);
    }

    @Test
    void fencing_keys_children_and_delays_hold_for_each_release_of_a_batch() {
        String group = createGroup(unique("g"));
        String channel = unique("mixed");
        String plain = createTask(group, "plain", channel);
        String stale = createTask(group, "stale", channel);
        String keyed = createTask(group, Map.of("name", "keyed", "channel", channel, "key", "k")).getString("_id");
        String parent = createTask(group, "parent", channel);
        String twin = createTask(createGroup(unique("other")),
                Map.of("name", "twin", "channel", channel, "key", "k")).getString("_id");
        assertEquals(4, acquireBatch(channel, Map.of("workerId", "w", "limit", 4)).getList("tasks.task._id").size());
        JsonPath results = releaseBatch(List.of(
                Map.of("taskId", plain, "workerId", "w", "output", 1),
                Map.of("taskId", stale, "workerId", "w", "attempt", 7, "output", 2),
                Map.of("taskId", keyed, "workerId", "w", "output", "shared"),
                Map.of("taskId", parent, "workerId", "w", "output", 4, "childrenDelayInSeconds", 60,
                        "children", List.of(Map.of("name", "later", "channel", channel)))));
        assertEquals(List.of(200, 409, 200, 200), results.getList("results.status"));
        assertEquals("running", task(stale).getString("state"), "a stale attempt changes nothing");
        assertEquals("shared", task(twin).getString("output"), "the keyed release merged its duplicate");
        assertEquals("scheduled", sql.text("SELECT state::text FROM task t JOIN task_edge e ON e.child_id = t.id "
                + "WHERE e.parent_id = ?", parent), "the continuation waits for childrenDelayInSeconds");
        Invariants.assertAll(sql);
    }

    @Test
    void with_prefer_return_minimal_the_results_leave_out_the_documents_and_each_release_still_applies() {
        String group = createGroup(unique("g"));
        String channel = unique("minimal");
        String simple = createTask(group, "simple", channel);
        String failing = createTask(group, "failing", channel);
        String stranger = createTask(group, "stranger", channel);
        acquireBatch(channel, Map.of("workerId", "w", "limit", 3)).getList("tasks.task._id");
        JsonPath results = given().contentType(ContentType.JSON).header("Prefer", "handling=lenient, return=minimal")
                .body(Map.of("releases", List.of(
                        Map.of("taskId", simple, "workerId", "w", "output", 1),
                        Map.of("taskId", failing, "workerId", "w", "error", "boom"),
                        Map.of("taskId", stranger, "workerId", "other", "output", 3))))
                .when().post("/api/v1/tasks/release")
                .then().statusCode(200).header("Preference-Applied", "return=minimal").extract().jsonPath();
        assertEquals(List.of(200, 200, 409), results.getList("results.status"));
        assertEquals(List.of(simple, failing, stranger), results.getList("results.taskId"));
        assertEquals(List.of(false, false, false), results.getList("results").stream()
                .map(r -> ((Map<?, ?>) r).containsKey("task")).toList(), "no documents");
        assertEquals("Worker id did not match!", results.getString("results[2].message"));
        assertEquals("complete", task(simple).getString("state"));
        assertEquals(1, task(simple).getInt("output"));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome = 'failed'",
                failing));
        assertEquals("running", task(stranger).getString("state"));
        Invariants.assertAll(sql);
    }
}
