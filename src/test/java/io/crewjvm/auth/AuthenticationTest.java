package io.crewjvm.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crewjvm.support.Api;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** With tokens configured: who may do what, what a refusal looks like, and that tokens stay out of the logs. */
@QuarkusTest
@TestProfile(TokensConfigured.class)
class AuthenticationTest {

    @Inject
    Sql sql;

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void no_token_is_401_with_a_json_message_and_a_bearer_challenge() {
        given().when().get("/api/v1/task_groups").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", "Bearer").body("message", containsString("Authorization: Bearer"));
    }

    @Test
    void an_unknown_or_malformed_token_is_401_invalid_token() {
        for (String header : List.of("Bearer nope", "Bearer " + TokensConfigured.ADMIN + "x",
                "Bearer " + TokensConfigured.ADMIN.substring(1), "Basic " + TokensConfigured.ADMIN, "Bearer ")) {
            given().header("Authorization", header).when().get("/api/v1/task_groups").then().statusCode(401)
                    .body("message", equalTo("Invalid token"));
        }
    }

    @Test
    void event_streams_are_for_admins() throws Exception {
        for (String path : List.of("/api/v1/events", "/api/v1/task_group/0123456789abcdef01234567/events")) {
            given().when().get(path).then().statusCode(401).body("message", containsString("Authorization: Bearer"));
            as(TokensConfigured.WORKER).when().get(path).then().statusCode(403);
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + TokensConfigured.ADMIN).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                assertEquals(200, stream.statusCode(), path);
                assertEquals("retry: 1000", lines.readLine(), path);
            }
        }
    }

    @Test
    void every_admin_token_may_do_everything() {
        for (String token : List.of(TokensConfigured.ADMIN, TokensConfigured.OTHER_ADMIN)) {
            String group = as(token).contentType(ContentType.JSON).body(Map.of("name", Api.unique("g"))).when()
                    .post("/api/v1/task_groups").then().statusCode(200).extract().path("_id");
            as(token).when().delete("/api/v1/task_group/" + group).then().statusCode(200);
            as(token).when().get("/api/v1/task_groups").then().statusCode(200);
        }
    }

    @Test
    void a_worker_token_runs_the_protocol_and_reads_tasks_but_changes_nothing_else() {
        String channel = Api.unique("auth");
        String admin = TokensConfigured.ADMIN;
        String group = as(admin).contentType(ContentType.JSON).body(Map.of("name", "g")).when()
                .post("/api/v1/task_groups").then().statusCode(200).extract().path("_id");
        String task = as(admin).contentType(ContentType.JSON).body(Map.of("name", "t", "channel", channel)).when()
                .post("/api/v1/task_group/" + group + "/tasks").then().statusCode(200).extract().path("_id");
        String worker = TokensConfigured.WORKER;

        as(worker).contentType(ContentType.JSON).body(Map.of("workerId", "w")).when()
                .post("/api/v1/channel/" + channel + "/acquire").then().statusCode(200).body("task._id", equalTo(task));
        as(worker).contentType(ContentType.JSON).body(Map.of("workerId", "w")).when()
                .post("/api/v1/task/" + task + "/heartbeat").then().statusCode(200);
        as(worker).when().get("/api/v1/task/" + task).then().statusCode(200).body("_id", equalTo(task));
        as(worker).when().get("/api/v1/task/" + task + "/attempts").then().statusCode(200);
        as(worker).contentType(ContentType.JSON).body(Map.of("workerId", "w", "output", Map.of("ok", true))).when()
                .post("/api/v1/task/" + task + "/release").then().statusCode(200).body("isComplete", equalTo(true));
        as(worker).contentType(ContentType.JSON).body(Map.of("workerId", "w", "limit", 5)).when()
                .post("/api/v1/channel/" + channel + "/acquire_batch").then().statusCode(200);
        as(worker).contentType(ContentType.JSON).body(Map.of("releases", List.of())).when()
                .post("/api/v1/tasks/release").then().statusCode(200);

        as(worker).contentType(ContentType.JSON).body(Map.of()).when().put("/api/v1/task/" + task).then()
                .statusCode(403).contentType(ContentType.JSON).body("message", containsString("admin token"));
        as(worker).when().delete("/api/v1/task/" + task).then().statusCode(403);
        as(worker).contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/task/" + task + "/reset").then()
                .statusCode(403);
        as(worker).when().get("/api/v1/task_groups").then().statusCode(403);
        as(worker).when().delete("/api/v1/task_group/" + group).then().statusCode(403);
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ? AND state = 'complete'", task),
                "the refused calls changed nothing");
    }

    @Test
    void health_probes_documentation_and_dashboard_files_stay_open() {
        given().when().get("/healthz").then().statusCode(200).body("healthy", equalTo(true));
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/").then().statusCode(200);
        given().when().get("/dashboard/").then().statusCode(200);
        given().when().get("/dashboard/api.js").then().statusCode(200);
        given().when().get("/api-docs/").then().statusCode(200);
    }

    @Test
    void the_openapi_document_declares_the_bearer_scheme_and_requires_it() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("security[0].bearer", notNullValue())
                .body("paths.'/healthz'.get.security.size()", equalTo(0));
    }

    @Test
    void tokens_never_reach_the_log() {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(String.valueOf(record.getMessage()) + " " + List.of(
                            record.getParameters() == null ? new Object[0] : record.getParameters())
                            + " " + (record.getThrown() == null ? "" : String.valueOf(record.getThrown())));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String wrong = "wrong-token-" + Api.unique("t");
        try {
            as(wrong).when().get("/api/v1/task_groups").then().statusCode(401);
            as(TokensConfigured.WORKER).when().get("/api/v1/task_groups").then().statusCode(403);
            as(TokensConfigured.ADMIN).when().get("/api/v1/task/not-an-id").then().statusCode(400);
            as(TokensConfigured.WORKER).contentType(ContentType.JSON).body("{").when()
                    .post("/api/v1/channel/c/acquire").then().statusCode(400);
        } finally {
            root.removeHandler(capture);
        }
        synchronized (logged) {
            for (String line : logged) {
                for (String token : List.of(wrong, TokensConfigured.ADMIN, TokensConfigured.OTHER_ADMIN,
                        TokensConfigured.WORKER)) {
                    assertFalse(line.contains(token), "a token was logged: " + line);
                }
            }
        }
    }
}
