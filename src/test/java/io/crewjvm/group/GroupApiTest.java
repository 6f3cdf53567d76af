package io.crewjvm.group;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GroupApiTest {

    @Inject
    Sql sql;

    @Test
    void create_returns_the_group_in_crew_shape() {
        post("/api/v1/task_groups", Map.of("name", "Test Group")).then().statusCode(200)
                .body("_id", matchesPattern("[0-9a-f]{24}"))
                .body("name", equalTo("Test Group"))
                .body("isPaused", equalTo(false))
                .body("createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"))
                .body("status", equalTo("empty"))
                .body("completedAt", nullValue());
    }

    @Test
    void a_group_can_be_created_paused_and_without_a_body() {
        post("/api/v1/task_groups", Map.of("name", "p", "isPaused", true)).then().statusCode(200)
                .body("isPaused", equalTo(true)).body("status", equalTo("paused"));
        given().when().post("/api/v1/task_groups").then().statusCode(200).body("name", nullValue())
                .body("isPaused", equalTo(false));
    }

    @Test
    void get_returns_the_group_with_counts_and_progress() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        createTask(group, Map.of("name", "a", "channel", channel, "progressWeight", 3));
        createTask(group, Map.of("name", "b", "channel", channel));
        get("/api/v1/task_group/" + group).then().statusCode(200)
                .body("_id", equalTo(group))
                .body("status", equalTo("running"))
                .body("totalTasks", equalTo(2))
                .body("taskCounts.ready", equalTo(2))
                .body("progress", equalTo(0.0f));
    }

    @Test
    void list_is_newest_first_with_limit_and_skip() {
        String first = createGroup(unique("first"));
        String second = createGroup(unique("second"));
        List<String> ids = get("/api/v1/task_groups?limit=2").then().statusCode(200).extract().path("_id");
        assertEquals(List.of(second, first), ids);
        List<String> skipped = get("/api/v1/task_groups?limit=1&skip=1").then().statusCode(200).extract().path("_id");
        assertEquals(List.of(first), skipped);
        List<String> all = get("/api/v1/task_groups?limit=0").then().statusCode(200).extract().path("_id");
        assertTrue(all.size() >= 2 && all.indexOf(second) < all.indexOf(first));
    }

    @Test
    void count_counts_every_group() {
        long before = sql.count("SELECT count(*) FROM task_group");
        createGroup(unique("counted"));
        int count = get("/api/v1/task_groups/count").then().statusCode(200).extract().path("count");
        assertTrue(count >= before + 1);
    }

    @Test
    void update_changes_the_name_only() {
        String group = createGroup("Wrong Name");
        put("/api/v1/task_group/" + group, Map.of("name", "Right Name", "isPaused", true, "createdAt", "2000-01-01",
                "whatever", 1)).then().statusCode(200).body("name", equalTo("Right Name"))
                .body("isPaused", equalTo(false));
        get("/api/v1/task_group/" + group).then().body("name", equalTo("Right Name")).body("isPaused", equalTo(false));
    }

    @Test
    void the_document_get_returned_is_accepted_back_whole_and_only_its_name_changes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String group = createGroup(unique("g"), true);
        String channel = unique("c");
        createTask(group, Map.of("name", "a", "channel", channel, "progressWeight", 3));
        createTask(group, Map.of("name", "b", "channel", channel));
        String read = get("/api/v1/task_group/" + group).then().statusCode(200).extract().asString();
        String answered = given().contentType(ContentType.JSON).body(read).when().put("/api/v1/task_group/" + group)
                .then().statusCode(200).extract().asString();
        assertEquals(json.readTree(read), json.readTree(answered));

        ObjectNode renamed = (ObjectNode) json.readTree(read);
        renamed.put("name", "renamed").put("isPaused", false).put("status", "complete").put("totalTasks", 0);
        given().contentType(ContentType.JSON).body(renamed.toString()).when().put("/api/v1/task_group/" + group)
                .then().statusCode(200).body("name", equalTo("renamed")).body("isPaused", equalTo(true))
                .body("status", equalTo("paused")).body("totalTasks", equalTo(2));
        assertEquals("renamed", sql.text("SELECT name FROM task_group WHERE id = ?", group));

        String unnamed = post("/api/v1/task_groups", null).then().statusCode(200).extract().path("_id");
        String empty = get("/api/v1/task_group/" + unnamed).then().statusCode(200).extract().asString();
        given().contentType(ContentType.JSON).body(empty).when().put("/api/v1/task_group/" + unnamed)
                .then().statusCode(200).body("name", nullValue()).body("status", equalTo("empty"));
    }

    @Test
    void delete_removes_the_group_and_its_tasks() {
        String group = createGroup(unique("doomed"));
        String task = createTask(group, "t", unique("c"));
        given().when().delete("/api/v1/task_group/" + group).then().statusCode(200)
                .body("acknowledged", equalTo(true)).body("deletedCount", equalTo(1));
        get("/api/v1/task_group/" + group).then().statusCode(404);
        get("/api/v1/task/" + task).then().statusCode(404);
    }

    @Test
    void deleting_a_group_frees_tasks_of_other_groups_that_waited_on_it() {
        String parentGroup = createGroup(unique("parents"));
        String childGroup = createGroup(unique("children"));
        String parent = createTask(parentGroup, "p", unique("c"));
        String child = createTask(childGroup, Map.of("name", "c", "channel", unique("c"), "parentIds", List.of(parent)))
                .getString("_id");
        get("/api/v1/task/" + child).then().body("state", equalTo("waiting"));
        given().when().delete("/api/v1/task_group/" + parentGroup).then().statusCode(200);
        get("/api/v1/task/" + child).then().statusCode(200).body("state", equalTo("ready"))
                .body("parentIds.size()", equalTo(0));
    }

    @Test
    void missing_groups_are_404_with_crew_message() {
        String missing = "0123456789abcdef01234567";
        get("/api/v1/task_group/" + missing).then().statusCode(404)
                .body("message", equalTo("TaskGroup with id " + missing + " not found!"));
        put("/api/v1/task_group/" + missing, Map.of("name", "x")).then().statusCode(404).body("message", notNullValue());
        given().when().delete("/api/v1/task_group/" + missing).then().statusCode(404).body("message", notNullValue());
        post("/api/v1/task_group/" + missing + "/tasks", Map.of("name", "t", "channel", "c")).then().statusCode(404)
                .body("message", equalTo("TaskGroup with id " + missing + " not found!"));
        String parent = createTask(createGroup(unique("g")), "parent", unique("c"));
        post("/api/v1/task_group/" + missing + "/tasks", Map.of("name", "t", "channel", "c",
                "parentIds", List.of(parent))).then().statusCode(404);
        post("/api/v1/task_group/" + missing + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 1, "name", "a", "channel", "c"),
                Map.of("_child_id", 2, "_parent_ids", List.of(1), "name", "b", "channel", "c")))).then().statusCode(404)
                .body("message", equalTo("TaskGroup with id " + missing + " not found!"));
        assertEquals(0, sql.count("SELECT count(*) FROM task_group WHERE id = ?", missing));
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", missing));
        assertEquals(0, sql.count("SELECT count(*) FROM task_edge WHERE parent_id = ?", parent));
    }

    @Test
    void invalid_ids_are_400() {
        for (String bad : List.of("xyz", "abcdefghijkl", "0123456789abcdef0123456z", "'; DROP TABLE task;--")) {
            given().when().get("/api/v1/task_group/{id}", bad).then().statusCode(400).body("message", notNullValue());
            given().when().delete("/api/v1/task_group/{id}", bad).then().statusCode(400);
        }
    }

    @Test
    void bad_bodies_are_400_and_change_nothing() {
        String group = createGroup("Keep Me");
        long groups = sql.count("SELECT count(*) FROM task_group");
        for (String body : List.of("{\"name\": 5}", "{\"isPaused\": \"yes\"}", "[1,2]", "{bad json", "\"text\"")) {
            given().contentType("application/json").body(body).when().post("/api/v1/task_groups").then()
                    .statusCode(400).body("message", notNullValue());
        }
        for (String body : List.of("{\"name\": {\"a\": 1}}", "{nope")) {
            given().contentType("application/json").body(body).when().put("/api/v1/task_group/" + group).then()
                    .statusCode(400).body("message", notNullValue());
        }
        assertEquals(groups, sql.count("SELECT count(*) FROM task_group"));
        assertEquals("Keep Me", sql.text("SELECT name FROM task_group WHERE id = ?", group));
    }

    @Test
    void bad_paging_is_400() {
        get("/api/v1/task_groups?limit=abc").then().statusCode(400).body("message", notNullValue());
        get("/api/v1/task_groups?skip=-1").then().statusCode(400).body("message", notNullValue());
        get("/api/v1/task_groups?limit=-5").then().statusCode(400).body("message", notNullValue());
    }
}
