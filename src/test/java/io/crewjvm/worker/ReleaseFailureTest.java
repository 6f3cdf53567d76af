package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.tasksOfGroup;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A release whose transaction fails changes nothing: the task stays leased to its worker, whose retry of the same
 * request then succeeds. The failures are induced by a trigger that only fires for tasks of one unique name.
 */
@QuarkusTest
class ReleaseFailureTest {

    @Inject
    Sql sql;

    /** Makes writes of a task named {@code name} fail with {@code sqlState} (only the first one when {@code once}). */
    private void sabotage(String trigger, String name, String sqlState, boolean once) {
        String sequence = trigger + "_seq";
        sql.execute("CREATE SEQUENCE " + sequence);
        sql.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.name = '" + name + "' THEN "
                + (once ? "IF nextval('" + sequence + "') > 1 THEN RETURN NEW; END IF; " : "")
                + "RAISE EXCEPTION 'induced failure' USING ERRCODE = '" + sqlState + "'; END IF; RETURN NEW; END $$");
        sql.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT OR UPDATE ON task FOR EACH ROW EXECUTE FUNCTION "
                + trigger + "()");
    }

    private void heal(String trigger) {
        sql.execute("DROP TRIGGER IF EXISTS " + trigger + " ON task");
        sql.execute("DROP FUNCTION IF EXISTS " + trigger + "()");
        sql.execute("DROP SEQUENCE IF EXISTS " + trigger + "_seq");
    }

    private static String triggerName() {
        return unique("sabotage").replaceAll("[^a-zA-Z0-9_]", "_").toLowerCase();
    }

    private void assertStillLeased(String id, String worker) {
        JsonPath t = task(id);
        assertEquals("running", t.getString("state"));
        assertEquals(worker, t.getString("assignedTo"));
        assertEquals(false, t.getBoolean("isComplete"));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND finished_at IS NULL", id));
    }

    /** The marked write was attempted at least {@code n} times: the induced failure happened and was retried. */
    private void assertWritesAttempted(String trigger, long n) {
        long attempts = sql.count("SELECT last_value FROM " + trigger + "_seq");
        assertTrue(attempts >= n, "marked writes attempted: " + attempts);
    }

    @Test
    void a_failed_one_statement_release_leaves_the_task_leased_and_the_retry_succeeds() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String marker = unique("explodes");
        String parent = createTask(group, "parent", channel);
        String child = createTask(group, Map.of("name", marker, "channel", unique("c"), "parentIds", List.of(parent)))
                .getString("_id");
        assertEquals(parent, acquire(channel, "holder").getString("task._id"));
        String trigger = triggerName();
        sabotage(trigger, marker, "P0001", false);
        try {
            // Freeing the child fails, so the parent's completion in the same statement must not happen either.
            int status = release(parent, Map.of("workerId", "holder", "output", "out")).then().extract().statusCode();
            assertTrue(status >= 500, "induced failure answered " + status);
            assertStillLeased(parent, "holder");
            assertEquals("waiting", task(child).getString("state"));
            assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?", child));
        } finally {
            heal(trigger);
        }
        release(parent, Map.of("workerId", "holder", "output", "out")).then().statusCode(200)
                .body("isComplete", equalTo(true)).body("output", equalTo("out"));
        assertEquals("ready", task(child).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_release_with_children_leaves_the_task_leased_creates_nothing_and_the_retry_succeeds() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String marker = unique("explodes");
        String kids = unique("kids");
        String parent = createTask(group, "parent", channel);
        assertEquals(parent, acquire(channel, "holder").getString("task._id"));
        Map<String, Object> body = Map.of("workerId", "holder", "output", "out", "childrenDelayInSeconds", 0,
                "children", List.of(
                        Map.of("_child_id", 0, "name", "first", "channel", kids),
                        Map.of("_child_id", 1, "_parent_ids", List.of(0), "name", marker, "channel", kids)));
        String trigger = triggerName();
        sabotage(trigger, marker, "P0001", false);
        try {
            int status = release(parent, body).then().extract().statusCode();
            assertTrue(status >= 500, "induced failure answered " + status);
            assertStillLeased(parent, "holder");
            assertEquals(1, tasksOfGroup(group).size(), "no child was created");
        } finally {
            heal(trigger);
        }
        release(parent, body).then().statusCode(200).body("isComplete", equalTo(true));
        assertEquals(3, tasksOfGroup(group).size());
        assertEquals("first", acquire(kids, "w").getString("task.name"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_error_release_consumes_no_attempt_and_the_retry_records_the_error_once() {
        String group = createGroup(unique("g"));
        String marker = unique("explodes");
        String channel = unique("c");
        String id = createTask(group, Map.of("name", marker, "channel", channel, "errorDelayInSeconds", 0))
                .getString("_id");
        assertEquals(id, acquire(channel, "holder").getString("task._id"));
        String trigger = triggerName();
        sabotage(trigger, marker, "P0001", false);
        try {
            int status = release(id, Map.of("workerId", "holder", "error", "boom")).then().extract().statusCode();
            assertTrue(status >= 500, "induced failure answered " + status);
            assertStillLeased(id, "holder");
            assertEquals(5, task(id).getInt("remainingAttempts"));
        } finally {
            heal(trigger);
        }
        release(id, Map.of("workerId", "holder", "error", "boom")).then().statusCode(200)
                .body("remainingAttempts", equalTo(4)).body("errors", equalTo(List.of("boom")))
                .body("state", equalTo("ready"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_release_that_loses_a_serialization_race_is_retried_by_the_service() {
        String group = createGroup(unique("g"));
        String marker = unique("contended");
        String channel = unique("c");
        String parent = createTask(group, "parent", channel);
        String child = createTask(group, Map.of("name", marker, "channel", unique("c"), "parentIds", List.of(parent)))
                .getString("_id");
        String other = unique("c");
        String keyed = createTask(group, Map.of("name", marker, "channel", other, "key", unique("k")))
                .getString("_id");
        acquire(channel, "holder");
        assertEquals(keyed, acquire(other, "holder").getString("task._id"));
        String trigger = triggerName();
        // The first write of a marked task fails with 40001: the one-statement path retries it.
        sabotage(trigger, marker, "40001", true);
        try {
            release(parent, Map.of("workerId", "holder", "output", 1)).then().statusCode(200)
                    .body("isComplete", equalTo(true));
            assertEquals("ready", task(child).getString("state"));
            assertWritesAttempted(trigger, 2);
        } finally {
            heal(trigger);
        }
        // A keyed task takes the general, multi-statement path.
        sabotage(trigger, marker, "40001", true);
        try {
            release(keyed, Map.of("workerId", "holder", "output", 2)).then().statusCode(200)
                    .body("isComplete", equalTo(true)).body("output", equalTo(2));
            assertWritesAttempted(trigger, 2);
        } finally {
            heal(trigger);
        }
        Invariants.assertAll(sql);
    }
}
