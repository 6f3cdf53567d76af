package io.crewjvm.worker;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker protocol's endpoints are plain Vert.x routes (api/JsonRoutes) that answer as the JAX-RS resources they
 * replaced did, to the edges of HTTP that a resource's framework answered: Accept and Content-Type, other methods,
 * trailing slashes, the Prefer header. Crew's clients and any written against the service since see no change.
 */
@QuarkusTest
class WorkerRoutesTest {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    /** As bytes: RestAssured encodes a string body only for content types it knows. */
    private static final byte[] WORKER = "{\"workerId\":\"w\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void an_accept_header_without_json_is_406_and_comes_before_the_content_type() {
        String acquire = "/api/v1/channel/" + unique("accept") + "/acquire";
        for (String accept : List.of("text/html", "text/*", "application/vnd.api+json", "garbage", ",")) {
            given().header("Accept", accept).contentType("text/plain").body("{\"workerId\":\"w\"}").when()
                    .post(acquire).then().statusCode(406).contentType("application/json")
                    .body("message", equalTo("The accept header value did not match the value in @Produces"));
        }
        for (String accept : List.of("*/*", "application/*", "application/json;q=0", "text/html, */*;q=0.1",
                "APPLICATION/JSON", "application/json, garbage")) {
            given().header("Accept", accept).contentType("application/json").body("{\"workerId\":\"w\"}").when()
                    .post(acquire).then().statusCode(200).header("Content-Type", JSON_UTF8)
                    .body("task", nullValue());
        }
    }

    @Test
    void a_content_type_that_is_no_media_type_is_400_one_that_is_not_json_415() {
        String acquire = "/api/v1/channel/" + unique("type") + "/acquire";
        for (String type : List.of("garbage", "a/", "/b", "a/b/c")) {
            given().header("Content-Type", type).body(WORKER).when().post(acquire).then()
                    .statusCode(400).body("message", equalTo("HTTP 400 Bad Request"));
        }
        given().header("Content-Type", "text/plain;charset=utf-8").body(WORKER).when().post(acquire)
                .then().statusCode(415).body("message", startsWith("Unsupported content type 'text/plain"));
        for (String type : List.of("application/json; charset=ISO-8859-1", "application/vnd.api+json",
                "application/json;a=b;c")) {
            given().header("Content-Type", type).body(WORKER).when().post(acquire).then()
                    .statusCode(200);
        }
    }

    @Test
    void other_methods_are_405_and_options_lists_them_as_before() {
        String channel = unique("methods");
        for (String path : List.of("/api/v1/channel/" + channel + "/acquire", "/api/v1/channel/" + channel
                + "/acquire_batch", "/api/v1/task/0123456789abcdef01234567/release",
                "/api/v1/task/0123456789abcdef01234567/heartbeat", "/api/v1/tasks/release")) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                given().when().request(method, path).then().statusCode(405).contentType("application/json")
                        .body("message", equalTo("Method not allowed"));
            }
            given().when().head(path).then().statusCode(405);
            given().when().options(path).then().statusCode(200)
                    .header("Allow", "HEAD, DELETE, POST, GET, OPTIONS, PUT");
        }
    }

    @Test
    void a_trailing_slash_reaches_the_endpoint_and_errors_keep_their_shape() {
        String channel = unique("slash");
        String task = createTask(createGroup(unique("g")), "t", channel);
        given().contentType("application/json").body("{\"workerId\":\"w\"}").when()
                .post("/api/v1/channel/" + channel + "/acquire/").then().statusCode(200).body("task._id", equalTo(task));
        given().contentType("application/json").body("{\"workerId\":\"w\"}").when()
                .post("/api/v1/task/0123456789abcdef01234567/release/").then().statusCode(404)
                .contentType("application/json")
                .body("message", equalTo("Task with id 0123456789abcdef01234567 not found!"));
        given().contentType("application/json").body("{\"releases\":[]}").when().post("/api/v1/tasks/release/").then()
                .statusCode(200).header("Content-Type", JSON_UTF8).body("results.size()", equalTo(0));
    }

    @Test
    void a_batch_release_answers_each_element_as_the_json_writer_did() {
        String channel = unique("batch");
        String task = createTask(createGroup(unique("g")), "t", channel);
        given().contentType("application/json").body("{\"workerId\":\"w\"}").when()
                .post("/api/v1/channel/" + channel + "/acquire").then().statusCode(200);
        Response answer = given().contentType("application/json").header("Prefer", "respond-async, RETURN = \"minimal\"")
                .body("{\"releases\":[{\"taskId\":\"" + task + "\",\"workerId\":\"w\",\"output\":1},"
                        + "{\"taskId\":42,\"workerId\":\"w\"},{\"workerId\":\"w\"},"
                        + "{\"taskId\":\"bad\\n\\\"\\\\\\u0001\",\"workerId\":\"w\"}]}")
                .when().post("/api/v1/tasks/release");
        answer.then().statusCode(200).header("Preference-Applied", "return=minimal");
        assertEquals("{\"results\":[{\"taskId\":\"" + task + "\",\"status\":200},"
                + "{\"taskId\":\"42\",\"status\":400,\"message\":\"taskId must be a string\"},"
                + "{\"status\":400,\"message\":\"Invalid taskId: 'null' is not a 24-character hex id\"},"
                + "{\"taskId\":\"bad\\n\\\"\\\\\\u0001\",\"status\":400,"
                + "\"message\":\"Invalid taskId: 'bad\\n\\\"\\\\\\u0001' is not a 24-character hex id\"}]}",
                answer.asString());
    }
}
