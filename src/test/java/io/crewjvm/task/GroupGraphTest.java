package io.crewjvm.task;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** GET /api/v1/task_group/{id}/graph: a group's DAG in one compact read (an addition; the dashboard draws it). */
@QuarkusTest
class GroupGraphTest {

    @Test
    void graph_lists_every_task_oldest_first_with_state_and_parents_only() {
        String channel = unique("graph");
        String group = createGroup(unique("diamond"));
        String a = createTask(group, "A", channel);
        String b = createTask(group, Map.of("name", "B", "channel", channel, "parentIds", List.of(a))).getString("_id");
        String c = createTask(group, Map.of("name", "C <&\"'>", "channel", channel, "parentIds", List.of(a)))
                .getString("_id");
        String d = createTask(group, Map.of("name", "D", "channel", channel, "parentIds", List.of(b, c)))
                .getString("_id");
        complete(acquire(channel, "w1").getString("task._id"), "w1", Map.of());

        JsonPath graph = get("/api/v1/task_group/" + group + "/graph").then().statusCode(200).extract().jsonPath();
        assertEquals(group, graph.getString("_id"));
        assertEquals(4, graph.getInt("totalTasks"));
        assertEquals(List.of(a, b, c, d), graph.getList("tasks._id"));
        assertEquals(List.of("A", "B", "C <&\"'>", "D"), graph.getList("tasks.name"));
        assertEquals(List.of("complete", "ready", "ready", "waiting"), graph.getList("tasks.state"));
        assertEquals(List.of(List.of(), List.of(a), List.of(a), List.of(b, c)), graph.getList("tasks.parentIds"));
        assertEquals(Set.of("_id", "name", "channel", "state", "isPaused", "parentIds", "waitingFor"),
                graph.<String, Object>getMap("tasks[0]").keySet(), "no task document, only what a node needs");
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(Map.of("reason", "parents", "parentsLeft", 2))),
                graph.getList("tasks.waitingFor"), "what holds each task, as its document says");
        assertEquals(channel, graph.getString("tasks[3].channel"));
    }

    @Test
    void a_parent_in_another_group_is_named_and_pause_shows() {
        String channel = unique("graph");
        String other = createGroup(unique("other"));
        String outside = createTask(other, "outside", channel);
        String group = createGroup(unique("inside"));
        createTask(group, Map.of("name", "child", "channel", channel, "parentIds", List.of(outside)));
        get("/api/v1/task_group/" + group + "/graph").then().statusCode(200)
                .body("tasks.size()", equalTo(1)).body("tasks[0].parentIds", equalTo(List.of(outside)));
        io.crewjvm.support.Api.post("/api/v1/task_group/" + group + "/pause", null).then().statusCode(200);
        get("/api/v1/task_group/" + group + "/graph").then().statusCode(200)
                .body("tasks[0].isPaused", equalTo(true));
    }

    @Test
    void an_empty_group_has_an_empty_graph() {
        String group = createGroup(unique("empty"));
        get("/api/v1/task_group/" + group + "/graph").then().statusCode(200)
                .body("totalTasks", equalTo(0)).body("tasks", equalTo(List.of()));
    }

    @Test
    void a_missing_group_is_404_and_a_bad_id_400_with_a_message() {
        get("/api/v1/task_group/000000000000000000000000/graph").then().statusCode(404)
                .body("message", equalTo("TaskGroup with id 000000000000000000000000 not found!"));
        get("/api/v1/task_group/not-an-id/graph").then().statusCode(400).body("message", notNullValue());
    }

    @Test
    void a_bulk_group_of_ten_thousand_tasks_is_read_in_one_call() {
        String channel = unique("graph");
        String group = createGroup(unique("bulk"));
        List<Map<String, Object>> tasks = new java.util.ArrayList<>();
        tasks.add(Map.of("name", "root", "channel", channel, "_child_id", "root"));
        for (int i = 1; i < 10_000; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "_child_id", "t" + i,
                    "_parent_ids", List.of("root")));
        }
        io.crewjvm.support.Api.post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then()
                .statusCode(200);
        JsonPath graph = get("/api/v1/task_group/" + group + "/graph").then().statusCode(200).extract().jsonPath();
        List<String> ids = graph.getList("tasks._id");
        assertEquals(10_000, ids.size());
        assertEquals(10_000, graph.getInt("totalTasks"));
        Set<Object> parents = graph.<List<String>>getList("tasks.parentIds").stream().skip(1)
                .flatMap(List::stream).collect(Collectors.toSet());
        assertEquals(Set.of(ids.get(0)), parents, "every other task hangs off the root");
    }
}
