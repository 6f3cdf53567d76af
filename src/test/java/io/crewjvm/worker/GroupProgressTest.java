package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What releases do to a group's counts, weighted progress, status and completion time. */
@QuarkusTest
class GroupProgressTest {

    @Inject
    Sql sql;

    private static JsonPath group(String id) {
        return get("/api/v1/task_group/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void progress_is_weighted_and_the_completion_time_is_recorded_by_the_last_release() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String heavy = createTask(group, Map.of("name", "heavy", "channel", channel, "progressWeight", 3,
                "priority", 1)).getString("_id");
        String light = createTask(group, Map.of("name", "light", "channel", channel)).getString("_id");
        createTask(group, Map.of("name", "free", "channel", channel, "progressWeight", 0, "priority", -1));
        assertNull(task(heavy).get("completedAt"));

        assertEquals(heavy, acquire(channel, "w").getString("task._id"));
        assertEquals(1, group(group).getInt("taskCounts.running"));
        complete(heavy, "w", "h");
        JsonPath g = group(group);
        assertEquals(0.75f, g.getFloat("progress"));
        assertEquals("running", g.getString("status"));
        assertEquals(1, g.getInt("taskCounts.complete"));
        assertEquals(2, g.getInt("taskCounts.ready"));
        assertNull(g.get("completedAt"));
        assertNotNull(task(heavy).getString("completedAt"));

        assertEquals(light, acquire(channel, "w").getString("task._id"));
        complete(light, "w", "l");
        assertEquals(1.0f, group(group).getFloat("progress"));
        assertNull(group(group).get("completedAt"), "a task of weight 0 is still to run");

        String free = acquire(channel, "w").getString("task._id");
        Instant last = Instant.parse(complete(free, "w", "f").getString("completedAt"));
        g = group(group);
        assertEquals("complete", g.getString("status"));
        assertEquals(3, g.getInt("taskCounts.complete"));
        assertEquals(3, g.getInt("totalTasks"));
        assertEquals(last, Instant.parse(g.getString("completedAt")), "the group completed with its last task");
        Invariants.assertAll(sql);
    }

    @Test
    void a_group_fails_only_when_nothing_else_can_run() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String doomed = createTask(group, Map.of("name", "doomed", "channel", channel, "remainingAttempts", 1,
                "priority", 1)).getString("_id");
        String below = createTask(group, Map.of("name", "below", "channel", channel, "parentIds", List.of(doomed)))
                .getString("_id");
        String other = createTask(group, Map.of("name", "other", "channel", channel)).getString("_id");

        assertEquals(doomed, acquire(channel, "w").getString("task._id"));
        release(doomed, Map.of("workerId", "w", "error", "fatal")).then().statusCode(200);
        JsonPath g = group(group);
        assertEquals("running", g.getString("status"), "another task can still run");
        assertEquals(1, g.getInt("taskCounts.failed"));
        assertEquals(1, g.getInt("taskCounts.blocked"));
        assertEquals("blocked", task(below).getString("state"));

        assertEquals(other, acquire(channel, "w").getString("task._id"));
        assertEquals("running", group(group).getString("status"));
        complete(other, "w", "o");
        g = group(group);
        assertEquals("failed", g.getString("status"));
        assertNull(g.get("completedAt"));
        assertNull(acquire(channel, "w").get("task"));
        Invariants.assertAll(sql);
    }
}
