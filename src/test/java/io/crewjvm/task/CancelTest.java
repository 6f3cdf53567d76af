package io.crewjvm.task;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cancellation of tasks and groups, and steps that run whatever their parents did (runWhen parentsDone). */
@QuarkusTest
class CancelTest {

    @Inject
    Sql sql;

    private String state(String id) {
        return task(id).getString("state");
    }

    @Test
    void a_cancelled_running_task_loses_its_lease_takes_its_descendants_along_and_a_retry_revives_them() {
        String channel = unique("cancel");
        String group = createGroup(unique("cancel"));
        String root = createTask(group, "root", channel);
        String child = createTask(group, "child", channel, Map.of("parentIds", List.of(root)));
        String grandchild = createTask(group, "grandchild", channel, Map.of("parentIds", List.of(child)));
        assertEquals(root, acquire(channel, "w").getString("task._id"));
        post("/api/v1/task/" + root + "/cancel", null).then().statusCode(200)
                .body("state", equalTo("cancelled")).body("isComplete", equalTo(false))
                .body("assignedTo", equalTo(null));
        assertEquals("cancelled", state(child));
        assertEquals("cancelled", state(grandchild));
        assertEquals("cancelled", sql.text("SELECT outcome::text FROM finished_attempt WHERE task_id = ?", root));
        // The worker hears it at its next heartbeat or release.
        post("/api/v1/task/" + root + "/heartbeat", Map.of("workerId", "w")).then().statusCode(409)
                .body("message", containsString("cancelled"));
        release(root, Map.of("workerId", "w", "output", "too late")).then().statusCode(409)
                .body("message", containsString("cancelled"));
        JsonPath view = get("/api/v1/task_group/" + group).then().statusCode(200).extract().jsonPath();
        assertEquals("cancelled", view.getString("status"));
        assertEquals(3, view.getInt("taskCounts.cancelled"));
        assertEquals(3, sql.count("SELECT cancelled_tasks FROM report_group_progress WHERE group_id = ?", group));
        assertNull(acquire(channel, "other").get("task"), "nothing of a cancelled group is acquired");
        // Cancelling again changes nothing; a retry revives the task and what was cancelled with it.
        post("/api/v1/task/" + root + "/cancel", null).then().statusCode(200).body("state", equalTo("cancelled"));
        post("/api/v1/task/" + root + "/retry", Map.of("remainingAttempts", 3)).then().statusCode(200)
                .body("state", equalTo("ready")).body("remainingAttempts", equalTo(3));
        assertEquals("waiting", state(child));
        assertEquals("waiting", state(grandchild));
        for (String id : List.of(root, child, grandchild)) {
            assertEquals(id, acquire(channel, "w2").getString("task._id"));
            complete(id, "w2", id);
        }
        assertEquals("complete", get("/api/v1/task_group/" + group).then().extract().path("status"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_finished_task_is_left_as_it_is_and_bad_ids_are_refused() {
        String channel = unique("done");
        String group = createGroup(unique("done"));
        String id = createTask(group, "done", channel);
        assertEquals(id, acquire(channel, "w").getString("task._id"));
        complete(id, "w", 1);
        post("/api/v1/task/" + id + "/cancel", null).then().statusCode(200).body("state", equalTo("complete"));
        post("/api/v1/task/ffffffffffffffffffffffff/cancel", null).then().statusCode(404)
                .body("message", containsString("not found"));
        post("/api/v1/task/nope/cancel", null).then().statusCode(400);
        post("/api/v1/task_group/ffffffffffffffffffffffff/cancel", null).then().statusCode(404);
        post("/api/v1/task_group/nope/cancel", null).then().statusCode(400);
    }

    @Test
    void a_reset_revives_a_cancelled_group() {
        String channel = unique("reset");
        String group = createGroup(unique("reset"));
        String a = createTask(group, "a", channel);
        String b = createTask(group, "b", channel, Map.of("parentIds", List.of(a)));
        post("/api/v1/task_group/" + group + "/cancel", null).then().statusCode(200)
                .body("status", equalTo("cancelled"));
        post("/api/v1/task_group/" + group + "/reset", Map.of()).then().statusCode(200);
        assertEquals("ready", state(a));
        assertEquals("waiting", state(b));
        Invariants.assertAll(sql);
    }

    @Test
    void a_fan_in_that_runs_when_its_parents_are_done_runs_once_under_a_failed_and_a_complete_parent() {
        String channel = unique("fanin");
        String group = createGroup(unique("fanin"));
        String ok = createTask(group, "ok", channel, Map.of("input", Map.of("n", 1)));
        String bad = createTask(group, "bad", channel, Map.of("remainingAttempts", 1));
        String blockedChild = createTask(group, "under bad", channel, Map.of("parentIds", List.of(bad)));
        String report = createTask(group, "report", channel, Map.of("parentIds", List.of(ok, bad, blockedChild),
                "runWhen", "parentsDone"));
        assertEquals("parentsDone", task(report).getString("runWhen"));
        assertEquals("waiting", state(report));
        assertEquals(ok, acquire(channel, "w").getString("task._id"));
        complete(ok, "w", Map.of("campaign", 42));
        assertEquals("waiting", state(report), "one parent is still open");
        assertEquals(bad, acquire(channel, "w").getString("task._id"));
        release(bad, Map.of("workerId", "w", "error", "quota exceeded")).then().statusCode(200)
                .body("state", equalTo("failed"));
        assertEquals("blocked", state(blockedChild));
        assertEquals("ready", state(report), "every parent ended: complete, failed or blocked");
        JsonPath leased = acquire(channel, "w");
        assertEquals(report, leased.getString("task._id"));
        assertEquals(List.of("complete", "failed", "blocked"), leased.getList("parents.state"));
        assertEquals(42, leased.getInt("parents[0].output.campaign"));
        assertEquals("quota exceeded", leased.getString("parents[1].error"));
        assertNull(leased.get("parents[0].error"));
        complete(report, "w", "sent");
        assertNull(acquire(channel, "w").get("task"), "it ran once");
        assertEquals(1, sql.count("SELECT count(*) FROM finished_attempt WHERE task_id = ?", report));
        // Crew's own fan-in is unchanged: without runWhen the child stays blocked.
        assertEquals("blocked", state(blockedChild));
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_duplicate_merged_later_costs_its_parents_done_step_nothing() {
        String channel = unique("twins");
        String group = createGroup(unique("twins"));
        String first = createTask(group, "first", channel, Map.of("key", "k", "remainingAttempts", 1));
        String second = createTask(group, "second", channel, Map.of("key", "k"));
        String step = createTask(group, "step", unique("elsewhere"), Map.of("parentIds", List.of(first),
                "runWhen", "parentsDone"));
        assertEquals(first, acquire(channel, "w").getString("task._id"));
        release(first, Map.of("workerId", "w", "error", "no")).then().statusCode(200);
        assertEquals("ready", state(step));
        assertEquals(second, acquire(channel, "w").getString("task._id"));
        complete(second, "w", "shared");
        assertEquals("complete", state(first), "merged with its twin");
        assertEquals("ready", state(step));
        assertEquals(0, sql.count("SELECT parents_left FROM task WHERE id = ?", step));
        Invariants.assertAll(sql);
    }

    @Test
    void a_retried_parent_holds_a_parents_done_step_that_has_not_run_yet_and_a_cancel_does_not_take_it_along() {
        String channel = unique("retry");
        String group = createGroup(unique("retry"));
        String parent = createTask(group, "parent", channel, Map.of("remainingAttempts", 1));
        String step = createTask(group, "step", channel, Map.of("parentIds", List.of(parent), "runWhen",
                "parentsDone"));
        String plain = createTask(group, "plain", channel, Map.of("parentIds", List.of(parent)));
        assertEquals(parent, acquire(channel, "w").getString("task._id"));
        release(parent, Map.of("workerId", "w", "error", "no")).then().statusCode(200);
        assertEquals("ready", state(step));
        post("/api/v1/task/" + parent + "/retry", Map.of()).then().statusCode(200);
        assertEquals("waiting", state(step), "its parent runs again");
        assertEquals("waiting", state(plain));
        post("/api/v1/task/" + parent + "/cancel", null).then().statusCode(200);
        assertEquals("cancelled", state(plain));
        assertEquals("ready", state(step), "a cancelled parent has ended for it");
        Invariants.assertAll(sql);
    }
}
