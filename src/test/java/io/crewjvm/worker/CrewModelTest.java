package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.tasksOfGroup;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crew 1.0.25's own model tests (reference section 8.1: 3, 5, 8, 9), over HTTP. */
@QuarkusTest
class CrewModelTest {

    @Inject
    Sql sql;

    @Test
    void crew_3_can_acquire_and_complete_task() {
        String group = createGroup("Test Group");
        String channel = unique("test_a");
        String id = createTask(group, "You can do it", channel);
        JsonPath acquired = acquire(channel, "worker-3");
        assertEquals(id, acquired.getString("task._id"));
        assertEquals("worker-3", acquired.getString("task.assignedTo"));
        assertNotNull(acquired.getString("task.assignedAt"));
        JsonPath released = complete(id, "worker-3", Map.of("done", "yes"));
        assertTrue(released.getBoolean("isComplete"));
        assertEquals("yes", released.getString("output.done"));
        Invariants.assertAll(sql);
    }

    @Test
    void crew_5_can_acquire_and_complete_task_with_an_error() {
        String group = createGroup("Test Group");
        String channel = unique("test_a");
        String id = createTask(group, Map.of("name", "Oops", "channel", channel, "errorDelayInSeconds", 0))
                .getString("_id");
        assertEquals(id, acquire(channel, "worker-5").getString("task._id"));
        JsonPath failed = release(id, Map.of("workerId", "worker-5", "error", Map.of("oops", "I died"))).then()
                .statusCode(200).extract().jsonPath();
        assertFalse(failed.getBoolean("isComplete"));
        assertEquals(4, failed.getInt("remainingAttempts"));
        assertEquals(1, failed.getList("errors").size());
        assertEquals("I died", failed.getString("errors[0].oops"));
        JsonPath again = acquire(channel, "worker-5");
        assertEquals(id, again.getString("task._id"));
        assertEquals("worker-5", again.getString("task.assignedTo"));
        assertNotNull(again.getString("task.assignedAt"));
        assertEquals(2, again.getInt("task.attempt"));
        Invariants.assertAll(sql);
    }

    @Test
    void crew_8_can_complete_with_children() {
        String group = createGroup("Test Group");
        String channel = unique("test_a");
        String continuation = unique("continuation");
        String id = createTask(group, "Parent", channel);
        acquire(channel, "worker-8");
        JsonPath released = release(id, Map.of("workerId", "worker-8", "output", Map.of("done", "yep!"),
                "children", List.of(
                        Map.of("_child_id", 0, "name", "Continuation Child A", "channel", continuation,
                                "input", Map.of("foo", "bar ")),
                        Map.of("_child_id", 1, "_parent_ids", List.of(0), "name", "Continuation Grandchild B",
                                "channel", continuation, "input", Map.of("foo", "baz "))))).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(released.getBoolean("isComplete"));
        assertEquals("yep!", released.getString("output.done"));
        assertEquals(3, tasksOfGroup(group).size());
        JsonPath child = acquire(continuation, "worker-8");
        assertEquals("Continuation Child A", child.getString("task.name"));
        assertEquals(List.of(id), child.getList("task.parentIds"));
        assertEquals(1, child.getList("parents").size());
        assertEquals(id, child.getString("parents[0]._id"));
        assertEquals("yep!", child.getString("parents[0].output.done"));
        assertEquals(channel, child.getString("parents[0].channel"));
        assertNull(acquire(continuation, "worker-8").get("task"), "the grandchild waits for the child");
        Invariants.assertAll(sql);
    }

    @Test
    void crew_9_can_complete_with_dag_children_in_order_b_c_d_e() {
        String group = createGroup("Test Group");
        String dag = unique("dag");
        String a = createTask(group, Map.of("name", "A", "channel", dag, "isSeed", true)).getString("_id");
        acquire(dag, "worker-9");
        release(a, Map.of("workerId", "worker-9", "output", Map.of("a", 1), "children", List.of(
                Map.of("_child_id", 0, "name", "B", "channel", dag),
                Map.of("_child_id", 1, "_parent_ids", List.of(0), "name", "C", "channel", dag, "priority", 1),
                Map.of("_child_id", 2, "_parent_ids", List.of(0), "name", "D", "channel", dag, "priority", 0),
                Map.of("_child_id", 3, "_parent_ids", List.of(1, 2), "name", "E", "channel", dag))))
                .then().statusCode(200);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonPath next = acquire(dag, "worker-9");
            order.add(next.getString("task.name"));
            complete(next.getString("task._id"), "worker-9", Map.of("n", i));
        }
        assertEquals(List.of("B", "C", "D", "E"), order);
        List<Map<String, Object>> all = tasksOfGroup(group);
        assertEquals(5, all.size());
        assertTrue(all.stream().allMatch(t -> Boolean.TRUE.equals(t.get("isComplete"))));
        JsonPath groupView = io.crewjvm.support.Api.get("/api/v1/task_group/" + group).then().extract().jsonPath();
        assertEquals("complete", groupView.getString("status"));
        assertNotNull(groupView.getString("completedAt"));
        assertEquals(1.0f, groupView.getFloat("progress"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_task_with_parents_in_other_groups_waits_for_them() {
        String channel = unique("x");
        String parent = createTask(createGroup(unique("g1")), "p", channel);
        String child = createTask(createGroup(unique("g2")), Map.of("name", "c", "channel", channel,
                "parentIds", List.of(parent))).getString("_id");
        assertEquals(parent, acquire(channel, "w").getString("task._id"));
        assertNull(acquire(channel, "w").get("task"));
        complete(parent, "w", "out");
        assertEquals(child, acquire(channel, "w").getString("task._id"));
        Invariants.assertAll(sql);
    }
}
