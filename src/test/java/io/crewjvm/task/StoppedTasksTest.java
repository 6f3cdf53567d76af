package io.crewjvm.task;

import static io.crewjvm.support.Api.acquireBatch;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failed work across groups: the paged view by state, channel, workgroup and time, and its bulk retry. */
@QuarkusTest
class StoppedTasksTest {

    @Inject
    Sql sql;

    /** Creates {@code n} one-attempt tasks in a new group and fails each of them for good; the group. */
    private String failed(String channel, String workgroup, int n) {
        String group = createGroup(unique("dead"));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "workgroup", workgroup, "remainingAttempts", 1));
        }
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);
        List<Map<String, Object>> releases = new ArrayList<>();
        for (Object id : acquireBatch(channel, Map.of("workerId", "w", "limit", n)).getList("tasks.task._id")) {
            releases.add(Map.of("taskId", id, "workerId", "w", "error", "gone " + id));
        }
        post("/api/v1/tasks/release", Map.of("releases", releases)).then().statusCode(200);
        return group;
    }

    @Test
    void failed_tasks_across_groups_are_listed_by_filter_and_retried_in_bulk() {
        String channel = unique("dlq");
        Instant before = Instant.now().minusSeconds(5);
        String a = failed(channel, "wa", 3);
        String b = failed(channel, "wb", 2);
        String other = failed(unique("elsewhere"), "wa", 1);
        List<Map<String, Object>> all = get("/api/v1/tasks?state=failed&channel=" + channel).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(5, all.size());
        assertEquals(List.of(b, b, a, a, a), all.stream().map(t -> t.get("taskGroupId")).toList(),
                "most recently ended first");
        List<List<String>> errors = get("/api/v1/tasks?channel=" + channel + "&workgroup=wa&limit=2&skip=1").then()
                .statusCode(200).extract().jsonPath().getList("errors");
        assertEquals(2, errors.size(), "a page of the workgroup's failed tasks");
        errors.forEach(e -> assertTrue(e.get(e.size() - 1).startsWith("gone "), "its last error: " + e));
        assertEquals(0, get("/api/v1/tasks?channel=" + channel + "&since=" + Instant.now().plusSeconds(60))
                .then().statusCode(200).extract().jsonPath().getList("$").size());
        assertEquals(5, get("/api/v1/tasks?channel=" + channel + "&since=" + before).then().statusCode(200)
                .extract().jsonPath().getList("$").size());
        get("/api/v1/tasks?state=running").then().statusCode(400);
        get("/api/v1/tasks?since=yesterday").then().statusCode(400);
        get("/api/v1/tasks?limit=x").then().statusCode(400);
        // The bulk retry takes the same filter: the workgroup's three, not the others.
        post("/api/v1/tasks/retry", Map.of("channel", channel, "workgroup", "wa", "remainingAttempts", 3)).then()
                .statusCode(200).body("retried", equalTo(3));
        assertEquals(3, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state IN ('ready', 'scheduled') "
                + "AND remaining_attempts = 3", a), "back in line (after their error delay)");
        assertEquals(2, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'failed'", b));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'failed'", other));
        post("/api/v1/tasks/retry", Map.of("state", "complete")).then().statusCode(400);
        post("/api/v1/tasks/retry", Map.of("channel", channel, "remainingAttempts", 0)).then().statusCode(400);
        assertEquals(2, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'failed'", b),
                "a refused retry changes nothing");
        Invariants.assertAll(sql);
    }
}
