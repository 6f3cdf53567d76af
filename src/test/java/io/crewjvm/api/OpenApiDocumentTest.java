package io.crewjvm.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as Swagger UI reads it: each maintenance action an operation of its own (the route that
 * serves them is not listed), and sections that open on task groups and tasks.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static JsonPath document() {
        return given().accept("application/json").when().get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void each_maintenance_action_is_listed_on_its_own_path_with_its_summary_and_parameters() {
        JsonPath document = document();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        assertFalse(paths.keySet().stream().anyMatch(path -> path.contains("{action}")), paths.keySet().toString());
        Set<String> summaries = new HashSet<>();
        for (String action : List.of("clean", "bootstrap", "sync")) {
            String path = "paths.'/api/v1/" + action + "'";
            assertEquals(Set.of("get"), document.getMap(path).keySet(), action + ": one operation");
            assertEquals(List.of("admin"), document.getList(path + ".get.tags"), action);
            assertEquals(action, document.getString(path + ".get.operationId"));
            summaries.add(document.getString(path + ".get.summary"));
            assertTrue(document.getString(path + ".get.description").contains("Any HTTP method"), action);
            List<String> parameters = document.getList(path + ".get.parameters.name");
            assertEquals(action.equals("clean") ? List.of("batch") : null, parameters, action + ": its parameters");
        }
        assertEquals(3, summaries.size(), "a summary of its own each: " + summaries);
        assertFalse(given().accept("application/json").when().get("/q/openapi").asString().contains("Same as GET"));
    }

    @Test
    void the_sections_open_on_task_groups_and_tasks_and_name_every_tag_in_use() {
        JsonPath document = document();
        List<String> sections = document.getList("tags.name");
        assertEquals(List.of("task_group", "task", "channel", "workgroup", "operator", "schedule", "admin", "devops"), sections);
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!method.equals("parameters")) {
                @SuppressWarnings("unchecked")
                List<String> tags = (List<String>) operation.get("tags");
                assertTrue(tags != null && sections.containsAll(tags), method + " " + path + ": " + tags);
            }
        }));
    }

    @Test
    void the_actions_still_run_under_any_method() {
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            given().when().request(method, "/api/v1/sync").then().statusCode(200).body("success", equalTo(true));
        }
        given().when().post("/api/v1/clean?batch=0").then().statusCode(400);
    }
}
