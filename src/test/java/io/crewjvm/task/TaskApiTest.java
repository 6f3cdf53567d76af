package io.crewjvm.task;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TaskApiTest {

    @Inject
    Sql sql;

    @Test
    void create_applies_crew_defaults() {
        String group = createGroup(unique("g"));
        JsonPath t = createTask(group, Map.of("name", "You can do it", "channel", "test_a"));
        assertEquals(group, t.getString("taskGroupId"));
        assertEquals(5, t.getInt("remainingAttempts"));
        assertEquals(0, t.getInt("priority"));
        assertEquals(30, t.getInt("errorDelayInSeconds"));
        assertEquals(1.0f, t.getFloat("progressWeight"));
        assertFalse(t.getBoolean("isSeed"));
        assertFalse(t.getBoolean("isComplete"));
        assertFalse(t.getBoolean("isPaused"));
        assertTrue(t.getBoolean("parentsComplete"));
        assertNull(t.get("workgroup"));
        assertNull(t.get("key"));
        assertNull(t.get("input"));
        assertNull(t.get("output"));
        assertNull(t.get("runAfter"));
        assertNull(t.get("assignedTo"));
        assertEquals(List.of(), t.getList("errors"));
        assertEquals(List.of(), t.getList("parentIds"));
        assertEquals("ready", t.getString("state"));
    }

    @Test
    void create_takes_every_field() {
        String group = createGroup(unique("g"));
        String parent = createTask(createGroup(unique("other")), "parent", unique("c"));
        Map<String, Object> body = new HashMap<>();
        body.put("name", "full");
        body.put("channel", "chan");
        body.put("workgroup", "wg");
        body.put("key", "k1");
        body.put("remainingAttempts", 3);
        body.put("priority", 7);
        body.put("runAfter", "2030-01-02T03:04:05.678Z");
        body.put("progressWeight", 2.5);
        body.put("isSeed", true);
        body.put("errorDelayInSeconds", 0);
        body.put("leaseSeconds", 120);
        body.put("input", Map.of("a", List.of(1, 2), "s", "x"));
        body.put("parentIds", List.of(parent));
        body.put("isPaused", true);
        JsonPath t = createTask(group, body);
        assertEquals("wg", t.getString("workgroup"));
        assertEquals("k1", t.getString("key"));
        assertEquals(3, t.getInt("remainingAttempts"));
        assertEquals(7, t.getInt("priority"));
        assertEquals("2030-01-02T03:04:05.678Z", t.getString("runAfter"));
        assertEquals(2.5f, t.getFloat("progressWeight"));
        assertTrue(t.getBoolean("isSeed"));
        assertEquals(0, t.getInt("errorDelayInSeconds"));
        assertEquals(120, t.getInt("leaseSeconds"));
        assertEquals(List.of(1, 2), t.getList("input.a"));
        assertEquals(List.of(parent), t.getList("parentIds"));
        assertFalse(t.getBoolean("isPaused"), "isPaused follows the group, not the request");
        assertFalse(t.getBoolean("parentsComplete"));
        assertEquals("waiting", t.getString("state"));
    }

    @Test
    void run_after_accepts_epoch_milliseconds() {
        String group = createGroup(unique("g"));
        JsonPath t = createTask(group, Map.of("name", "n", "channel", unique("c"), "runAfter", 1893456000123L));
        assertEquals("2030-01-01T00:00:00.123Z", t.getString("runAfter"));
        assertEquals("scheduled", t.getString("state"));
    }

    @Test
    void falsy_values_are_kept_not_defaulted() {
        String group = createGroup(unique("g"));
        JsonPath t = createTask(group, Map.of("name", "n", "channel", unique("c"), "input", 0, "progressWeight", 0));
        assertEquals(0, t.getInt("input"));
        assertEquals(0.0f, t.getFloat("progressWeight"));
    }

    @Test
    void a_missing_parent_is_400_and_creates_nothing() {
        String group = createGroup(unique("g"));
        String missing = "0123456789abcdef01234567";
        post("/api/v1/task_group/" + group + "/tasks", Map.of("name", "n", "channel", "c",
                "parentIds", List.of(missing))).then().statusCode(400)
                .body("message", equalTo("Cannot create task with missing parent : " + missing));
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }

    @Test
    void bad_task_bodies_are_400_and_create_nothing() {
        String group = createGroup(unique("g"));
        List<String> bodies = List.of(
                "{\"channel\":\"c\"}",
                "{\"name\":\"n\"}",
                "{\"name\":\"n\",\"channel\":\"\"}",
                "{\"name\":5,\"channel\":\"c\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"priority\":\"high\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"priority\":1.5}",
                "{\"name\":\"n\",\"channel\":\"c\",\"priority\":99999999999}",
                "{\"name\":\"n\",\"channel\":\"c\",\"remainingAttempts\":0}",
                "{\"name\":\"n\",\"channel\":\"c\",\"remainingAttempts\":-1}",
                "{\"name\":\"n\",\"channel\":\"c\",\"errorDelayInSeconds\":-1}",
                "{\"name\":\"n\",\"channel\":\"c\",\"progressWeight\":-1}",
                "{\"name\":\"n\",\"channel\":\"c\",\"isSeed\":\"yes\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"runAfter\":\"tomorrow\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"runAfter\":true}",
                "{\"name\":\"n\",\"channel\":\"c\",\"runAfter\":\"+275760-09-13T00:00:00Z\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"runAfter\":99999999999999999}",
                "{\"name\":\"n\",\"channel\":\"c\",\"parentIds\":\"abc\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"parentIds\":[\"abc\"]}",
                "{\"name\":\"n\",\"channel\":\"c\",\"parentIds\":[1]}",
                "{\"name\":\"n\",\"channel\":\"c\",\"leaseSeconds\":0}",
                "{\"name\":\"n\\u0000\",\"channel\":\"c\"}",
                "{\"name\":\"n\",\"channel\":\"c\",\"input\":{\"a\":\"\\u0000\"}}",
                "[]",
                "{\"name\":\"n\",");
        for (String body : bodies) {
            given().contentType("application/json").body(body).when().post("/api/v1/task_group/" + group + "/tasks")
                    .then().statusCode(400).body("message", notNullValue());
        }
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }

    @Test
    void get_missing_or_invalid_task() {
        String missing = "fedcba9876543210fedcba98";
        get("/api/v1/task/" + missing).then().statusCode(404)
                .body("message", equalTo("Task with id " + missing + " not found!"));
        get("/api/v1/task/not-an-id").then().statusCode(400).body("message", notNullValue());
        put("/api/v1/task/" + missing, Map.of("name", "x")).then().statusCode(404);
        given().when().delete("/api/v1/task/" + missing).then().statusCode(404).body("message", notNullValue());
        given().when().delete("/api/v1/task/zzz").then().statusCode(400);
    }

    @Test
    void update_changes_mutable_fields_and_ignores_system_fields() {
        String group = createGroup(unique("g"));
        String id = createTask(group, "Wrong task name", unique("c"));
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Right task name");
        body.put("priority", 4);
        body.put("input", Map.of("x", 1));
        body.put("isComplete", true);
        body.put("output", "hacked");
        body.put("taskGroupId", "0123456789abcdef01234567");
        body.put("assignedTo", "someone");
        body.put("_id", "0123456789abcdef01234567");
        body.put("unknownField", 1);
        put("/api/v1/task/" + id, body).then().statusCode(200)
                .body("name", equalTo("Right task name"))
                .body("priority", equalTo(4))
                .body("input.x", equalTo(1))
                .body("isComplete", equalTo(false))
                .body("output", equalTo(null))
                .body("taskGroupId", equalTo(group))
                .body("assignedTo", equalTo(null))
                .body("_id", equalTo(id));
    }

    @Test
    void update_with_a_future_run_after_holds_the_task() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = createTask(group, "n", channel);
        put("/api/v1/task/" + id, Map.of("runAfter", "2099-01-01T00:00:00.000Z")).then().statusCode(200)
                .body("state", equalTo("scheduled"));
        assertNull(acquire(channel, "w").get("task"));
        put("/api/v1/task/" + id, new HashMap<>(Map.of("name", "n"))).then().statusCode(200);
        Map<String, Object> clear = new HashMap<>();
        clear.put("runAfter", null);
        put("/api/v1/task/" + id, clear).then().statusCode(200).body("state", equalTo("ready"));
        assertEquals(id, acquire(channel, "w").getString("task._id"));
    }

    @Test
    void parent_ids_set_by_update_are_real_edges() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String parent = createTask(group, "parent", unique("p"));
        String child = createTask(group, "child", channel);
        put("/api/v1/task/" + child, Map.of("parentIds", List.of(parent))).then().statusCode(200)
                .body("parentIds", equalTo(List.of(parent))).body("state", equalTo("waiting"))
                .body("parentsComplete", equalTo(false));
        assertNull(acquire(channel, "w").get("task"), "the child waits for its new parent");
        String parentChannel = task(parent).getString("channel");
        acquire(parentChannel, "w");
        complete(parent, "w", Map.of("ok", true));
        JsonPath acquired = acquire(channel, "w");
        assertEquals(child, acquired.getString("task._id"));
        assertEquals(parent, acquired.getString("parents[0]._id"));
        Invariants.assertAll(sql);
    }

    @Test
    void update_rejects_cycles_and_bad_values_and_changes_nothing() {
        String group = createGroup(unique("g"));
        String a = createTask(group, "a", unique("c"));
        String b = createTask(group, Map.of("name", "b", "channel", unique("c"), "parentIds", List.of(a)))
                .getString("_id");
        put("/api/v1/task/" + a, Map.of("parentIds", List.of(b))).then().statusCode(400)
                .body("message", notNullValue());
        put("/api/v1/task/" + a, Map.of("parentIds", List.of(a))).then().statusCode(400);
        put("/api/v1/task/" + a, Map.of("remainingAttempts", 0)).then().statusCode(400);
        put("/api/v1/task/" + a, Map.of("priority", "x")).then().statusCode(400);
        put("/api/v1/task/" + a, Map.of("name", "")).then().statusCode(400);
        given().contentType("application/json").body("{oops").when().put("/api/v1/task/" + a).then().statusCode(400);
        JsonPath unchanged = task(a);
        assertEquals("a", unchanged.getString("name"));
        assertEquals(List.of(), unchanged.getList("parentIds"));
        assertEquals(5, unchanged.getInt("remainingAttempts"));
    }

    @Test
    void delete_removes_all_descendants_in_any_group() {
        String g1 = createGroup(unique("g1"));
        String g2 = createGroup(unique("g2"));
        String root = createTask(g1, "root", unique("c"));
        String child = createTask(g2, Map.of("name", "child", "channel", "c", "parentIds", List.of(root)))
                .getString("_id");
        String grandchild = createTask(g2, Map.of("name", "gc", "channel", "c", "parentIds", List.of(child)))
                .getString("_id");
        String bystander = createTask(g2, "other", "c");
        given().when().delete("/api/v1/task/" + root).then().statusCode(200).body("acknowledged", equalTo(true))
                .body("deletedCount", equalTo(1));
        for (String gone : List.of(root, child, grandchild)) {
            get("/api/v1/task/" + gone).then().statusCode(404);
        }
        get("/api/v1/task/" + bystander).then().statusCode(200);
    }

    @Test
    void group_tasks_are_listed_newest_first_with_paging() {
        String group = createGroup(unique("g"));
        String first = createTask(group, "first", unique("c"));
        String second = createTask(group, "second", unique("c"));
        String third = createTask(group, "third", unique("c"));
        assertEquals(List.of(third, second, first),
                get("/api/v1/task_group/" + group + "/tasks").then().statusCode(200).extract().path("_id"));
        assertEquals(List.of(second),
                get("/api/v1/task_group/" + group + "/tasks?limit=1&skip=1").then().extract().path("_id"));
        assertEquals(List.of(third, second, first),
                get("/api/v1/task_group/" + group + "/tasks?limit=-1").then().extract().path("_id"));
        assertEquals(List.of(), get("/api/v1/task_group/0123456789abcdef01234567/tasks").then().statusCode(200)
                .extract().path("_id"));
        get("/api/v1/task_group/" + group + "/tasks?skip=x").then().statusCode(400);
    }

    @Test
    void channel_tasks_span_groups_newest_first() {
        String channel = unique("shared");
        String a = createTask(createGroup(unique("g")), "a", channel);
        String b = createTask(createGroup(unique("g")), "b", channel);
        assertEquals(List.of(b, a), get("/api/v1/channel/" + channel + "/tasks").then().statusCode(200)
                .extract().path("_id"));
        assertEquals(List.of(b), get("/api/v1/channel/" + channel + "/tasks?limit=1").then().extract().path("_id"));
        get("/api/v1/channel/" + channel + "/tasks?limit=x").then().statusCode(400);
    }

    /** Running tasks are not in the channel listing's index: the listing reads them apart and pages both together. */
    @Test
    void channel_tasks_include_running_ones_in_their_place_on_every_page() {
        String channel = unique("paged");
        String group = createGroup(unique("g"));
        String a = createTask(group, "a", channel);
        String b = createTask(group, "b", channel);
        String c = createTask(group, "c", channel);
        String d = createTask(group, "d", channel);
        assertEquals(a, acquire(channel, "w").getString("task._id"));
        assertEquals(b, acquire(channel, "w").getString("task._id"));
        complete(b, "w", 1);
        assertEquals(List.of(d, c, b, a), get("/api/v1/channel/" + channel + "/tasks").then().statusCode(200)
                .extract().path("_id"));
        assertEquals(List.of(c, b), get("/api/v1/channel/" + channel + "/tasks?skip=1&limit=2").then()
                .extract().path("_id"));
        assertEquals(List.of(a), get("/api/v1/channel/" + channel + "/tasks?skip=3").then().extract().path("_id"));
        assertEquals(List.of("running"), get("/api/v1/channel/" + channel + "/tasks?skip=3&limit=1").then()
                .extract().path("state"));
    }

    @Test
    void channels_report_total_completed_and_assigned_counts() {
        String channel = unique("counted");
        String group = createGroup(unique("g"));
        createTask(group, "a", channel);
        createTask(group, "b", channel);
        createTask(group, "c", channel);
        String first = acquire(channel, "w").getString("task._id");
        complete(first, "w", "done");
        acquire(channel, "w");
        List<Map<String, Object>> channels = get("/api/v1/channels").then().statusCode(200).extract().jsonPath()
                .getList("$");
        Map<String, Object> mine = channels.stream().filter(c -> channel.equals(c.get("name"))).findFirst()
                .orElseThrow();
        assertEquals(3, mine.get("totalCount"));
        assertEquals(1, mine.get("completedCount"));
        assertEquals(1, mine.get("assignedCount"));
    }

    @Test
    void hostile_strings_round_trip_byte_for_byte() {
        String group = createGroup(unique("g"));
        String nasty = "Robert'); DROP TABLE task;-- \" \\ ✓ 𝄞 <script>alert(1)</script> $1 :name ::text";
        JsonPath t = createTask(group, Map.of("name", nasty, "channel", unique("c"), "input", Map.of("s", nasty)));
        JsonPath again = task(t.getString("_id"));
        assertEquals(nasty, again.getString("name"));
        assertEquals(nasty, again.getString("input.s"));
    }
}
