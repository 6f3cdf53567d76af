package io.crewjvm.api;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HttpConventionsTest {

    @Inject
    Sql sql;

    @Test
    void root_greets_like_crew() {
        given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Hi!  I'm Crew."));
    }

    @Test
    void healthz_reports_a_healthy_database() {
        given().when().get("/healthz").then().statusCode(200).body("healthy", equalTo(true));
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void api_docs_and_openapi_are_served() {
        given().when().get("/api-docs/").then().statusCode(200).body(containsString("swagger"));
        given().redirects().follow(false).when().get("/q/swagger-ui").then().statusCode(302)
                .header("Location", containsString("/api-docs"));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/channel/{channel}/acquire'.post.summary", notNullValue())
                .body("components.schemas.Task.properties._id", notNullValue())
                .body("components.schemas.Message.properties.message", notNullValue());
    }

    @Test
    void a_body_over_the_limit_is_413_with_a_json_message() {
        long groups = sql.count("SELECT count(*) FROM task_group");
        String huge = "{\"name\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        given().contentType("application/json").body(huge).when().post("/api/v1/task_groups").then()
                .statusCode(413).body("message", containsString("too large"));
        assertEquals(groups, sql.count("SELECT count(*) FROM task_group"));
    }

    @Test
    void anything_after_the_json_value_is_400_and_changes_nothing() {
        String group = createGroup(unique("g"));
        long groups = sql.count("SELECT count(*) FROM task_group");
        for (String body : new String[] {"{\"name\":\"x\"}}", "{\"name\":\"x\"} trailing", "{\"name\":\"x\"} {}"}) {
            given().contentType("application/json").body(body).when().post("/api/v1/task_groups").then()
                    .statusCode(400).body("message", containsString("Malformed JSON"));
            given().contentType("application/json").body(body.replace("name", "channel")).when()
                    .post("/api/v1/task_group/" + group + "/tasks").then().statusCode(400);
            given().contentType("application/json").body(body.replace("name", "workerId")).when()
                    .post("/api/v1/channel/" + unique("c") + "/acquire").then().statusCode(400)
                    .body("message", containsString("Malformed JSON"));
        }
        assertEquals(groups, sql.count("SELECT count(*) FROM task_group"));
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }

    @Test
    void a_body_that_is_not_json_is_415() {
        String group = createGroup(unique("g"));
        given().contentType("text/plain").body("name=x").when().post("/api/v1/task_group/" + group + "/tasks")
                .then().statusCode(415).body("message", notNullValue());
        given().contentType("application/x-www-form-urlencoded").formParam("workerId", "w").when()
                .post("/api/v1/channel/c/acquire").then().statusCode(415);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }

    @Test
    void deeply_nested_json_is_400() {
        String deep = "{\"name\":\"n\",\"channel\":\"c\",\"input\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String group = createGroup(unique("g"));
        given().contentType("application/json").body(deep).when().post("/api/v1/task_group/" + group + "/tasks")
                .then().statusCode(400).body("message", notNullValue());
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
    }

    @Test
    void unknown_routes_and_methods_answer_json() {
        given().when().get("/api/v1/nothing-here").then().statusCode(404).body("message", notNullValue());
        given().when().patch("/api/v1/task_groups").then().statusCode(405).body("message", notNullValue());
    }

    @Test
    void cors_is_open_like_crew() {
        given().header("Origin", "http://ui.example").header("Access-Control-Request-Method", "POST")
                .when().options("/api/v1/task_groups").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://ui.example");
    }
}
