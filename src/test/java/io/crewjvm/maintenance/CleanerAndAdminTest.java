package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CleanerAndAdminTest {

    @Inject
    Sql sql;

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
    void admin_endpoints_answer_any_method() {
        for (String action : List.of("clean", "bootstrap", "sync")) {
            given().when().get("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().post("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().put("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
            given().when().delete("/api/v1/" + action).then().statusCode(200).body("success", equalTo(true));
        }
        given().when().post("/api/v1/clean?batch=zero").then().statusCode(400);
        given().when().post("/api/v1/clean?batch=0").then().statusCode(400);
    }
}
