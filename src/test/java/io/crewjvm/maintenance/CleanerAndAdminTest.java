package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Api;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CleanerAndAdminTest {

    @Inject
    Sql sql;

    @Inject
    ExpiredGroupCleaner cleaner;

    private void age(String group, int days) {
        sql.execute("UPDATE task_group SET created_at = now() - make_interval(days => ?) WHERE id = ?", days, group);
    }

    @Test
    void clean_deletes_expired_groups_keeps_young_and_running_ones_and_recounts_dependents() {
        String expired = createGroup(unique("old"));
        String big = createGroup(unique("old-big"));
        String young = createGroup(unique("young"));
        String running = createGroup(unique("old-running"));
        String dependentGroup = createGroup(unique("dependent"));
        String parent = createTask(expired, "p", unique("c"));
        String dependent = createTask(dependentGroup, Map.of("name", "d", "channel", unique("c"),
                "parentIds", List.of(parent))).getString("_id");
        for (int i = 0; i < 2500; i += 1000) {
            List<Map<String, Object>> tasks = new java.util.ArrayList<>();
            for (int j = 0; j < 1000; j++) {
                tasks.add(Map.of("name", "t", "channel", "bulky"));
            }
            io.crewjvm.support.Api.post("/api/v1/task_group/" + big + "/tasks/bulk", Map.of("tasks", tasks)).then()
                    .statusCode(200);
        }
        String runningChannel = unique("c");
        createTask(running, "leased", runningChannel);
        acquire(runningChannel, "w");
        age(expired, 8);
        age(big, 30);
        age(running, 8);
        age(young, 6);
        for (int i = 0; i < 20; i++) {
            given().when().post("/api/v1/clean?batch=1000").then().statusCode(200).body("success", equalTo(true));
            if (sql.count("SELECT count(*) FROM task_group WHERE id IN (?, ?)", expired, big) == 0) {
                break;
            }
        }
        get("/api/v1/task_group/" + expired).then().statusCode(404);
        get("/api/v1/task_group/" + big).then().statusCode(404);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", big));
        get("/api/v1/task_group/" + young).then().statusCode(200);
        get("/api/v1/task_group/" + running).then().statusCode(200);
        get("/api/v1/task/" + dependent).then().statusCode(200).body("state", equalTo("ready"))
                .body("parentIds.size()", equalTo(0));
        Invariants.assertAll(sql);
    }

    @Test
    void a_scheduled_run_deletes_batch_after_batch_until_no_expired_group_is_left() {
        List<String> groups = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String group = createGroup(unique("old-many"));
            createTask(group, "t", unique("c"));
            age(group, 8);
            groups.add(group);
        }
        String mine = "SELECT count(*) FROM task_group WHERE id = ANY(?)";
        String[] ids = groups.toArray(String[]::new);
        // /api/v1/clean and a run past its deadline: one batch, as Crew's cleaner.
        cleaner.clean(2);
        cleaner.cleanUntilDone(2, System.nanoTime());
        assertTrue(sql.count(mine, (Object) ids) >= 3, "two batches of two at most");
        // A scheduled run: batches of two until none is expired.
        assertTrue(cleaner.cleanUntilDone(2, System.nanoTime() + 60_000_000_000L) >= 3);
        assertEquals(0, sql.count(mine, (Object) ids));
        Invariants.assertAll(sql);
    }

    @Test
    void a_task_leased_while_the_cleaner_works_on_its_group_is_never_deleted() {
        String group = createGroup(unique("old-busy"));
        String channel = unique("c");
        String idle = createTask(group, "idle", unique("c"));
        String busy = createTask(group, "busy", channel);
        String dependentGroup = createGroup(unique("dependent"));
        String dependent = createTask(dependentGroup, Map.of("name", "d", "channel", unique("c"),
                "parentIds", List.of(idle))).getString("_id");
        age(group, 8);
        // The group was picked while idle; a worker leases one of its tasks before the cleaner gets to it.
        assertEquals(busy, acquire(channel, "w").getString("task._id"));
        assertFalse(cleaner.delete(group), "a group with a leased task is kept");
        get("/api/v1/task/" + idle).then().statusCode(404);
        get("/api/v1/task/" + busy).then().statusCode(200).body("state", equalTo("running"));
        get("/api/v1/task_group/" + group).then().statusCode(200);
        get("/api/v1/task/" + dependent).then().statusCode(200).body("state", equalTo("ready"));
        // A full run passes over the group as long as the task is leased.
        cleaner.clean(1000);
        assertEquals(1, sql.count("SELECT count(*) FROM task_group WHERE id = ?", group));
        assertEquals("running", sql.text("SELECT state::text FROM task WHERE id = ?", busy));

        Api.complete(busy, "w", "done");
        given().when().post("/api/v1/clean?batch=1000").then().statusCode(200);
        get("/api/v1/task_group/" + group).then().statusCode(404);
        get("/api/v1/task/" + busy).then().statusCode(404);
        Invariants.assertAll(sql);
    }

    @Test
    void six_cleaners_at_once_delete_every_expired_group_and_recount_their_dependents() throws Exception {
        List<String> expired = new ArrayList<>();
        List<String> dependents = new ArrayList<>();
        String dependentGroup = createGroup(unique("dependent"));
        for (int g = 0; g < 12; g++) {
            String group = createGroup(unique("old"));
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int j = 0; j < 300; j++) {
                tasks.add(Map.of("name", "t" + j, "channel", unique("c")));
            }
            List<String> ids = Api.post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then()
                    .statusCode(200).extract().jsonPath().getList("_id");
            dependents.add(createTask(dependentGroup, Map.of("name", "d" + g, "channel", unique("c"),
                    "parentIds", List.of(ids.get(0), ids.get(299)))).getString("_id"));
            age(group, 9);
            expired.add(group);
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(pool.submit(() -> {
                gate.await();
                return cleaner.clean(1000);
            }));
        }
        gate.countDown();
        for (Future<Integer> run : runs) {
            run.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        for (String group : expired) {
            assertEquals(0, sql.count("SELECT count(*) FROM task_group WHERE id = ?", group));
            assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
        }
        for (String dependent : dependents) {
            get("/api/v1/task/" + dependent).then().statusCode(200).body("state", equalTo("ready"))
                    .body("parentIds.size()", equalTo(0));
        }
        Invariants.assertAll(sql);
    }

    @Test
    void admin_endpoints_answer_any_method() {
        for (String action : List.of("clean", "bootstrap", "sync")) {
            given().when().get("/api/v1/" + action).then().statusCode(200).body(equalTo("{\"success\":true}"));
            given().when().post("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().put("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().delete("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().patch("/api/v1/" + action + "?batch=5").then().statusCode(200)
                    .body("success", equalTo(true));
        }
        given().when().post("/api/v1/clean?batch=zero").then().statusCode(400).body("message", notNullValue());
        given().when().post("/api/v1/clean?batch=0").then().statusCode(400).body("message", notNullValue());
        given().when().post("/api/v1/cleanup").then().statusCode(404);
    }
}
