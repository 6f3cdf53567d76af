package io.crewjvm.operator;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operators over real HTTP both ways: the API, and deliveries to a webhook server run by the test. */
@QuarkusTest
class OperatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    Sql sql;

    private HttpServer webhook;
    private final List<String> created = new java.util.ArrayList<>();
    /** What the webhook answers for a delivery: status and body, from the request's JSON. */
    private volatile Function<JsonNode, Map.Entry<Integer, String>> answer;
    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final Map<String, String> authorization = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.setExecutor(Executors.newFixedThreadPool(32));
        webhook.createContext("/", this::handle);
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        created.forEach(id -> given().delete("/api/v1/operator/" + id));
        webhook.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            JsonNode request = MAPPER.readTree(exchange.getRequestBody());
            received.add(request);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorization.put(request.path("taskId").asText(), auth);
            }
            Map.Entry<Integer, String> reply = answer.apply(request);
            byte[] body = reply.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.getKey(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + path;
    }

    private String createOperator(Map<String, Object> body) {
        String id = post("/api/v1/operators", body).then().statusCode(200).extract().path("_id");
        created.add(id);
        return id;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Map.Entry<Integer, String> ok(String json) {
        return Map.entry(200, json);
    }

    @Test
    void operators_are_created_listed_changed_and_deleted_with_crew_shapes() {
        String channel = unique("crud");
        JsonPath op = post("/api/v1/operators", Map.of("channel", channel, "url", url("/a"),
                "requestConfig", Map.of("headers", Map.of("X-Key", "k")), "isPaused", true))
                .then().statusCode(200).extract().jsonPath();
        String id = op.getString("_id");
        created.add(id);
        assertEquals(channel, op.getString("channel"));
        assertEquals("k", op.getString("requestConfig.headers.X-Key"));
        assertEquals(true, op.getBoolean("isPaused"));
        assertTrue(op.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

        String second = createOperator(Map.of("channel", channel, "url", url("/b")));
        List<String> newestFirst = get("/api/v1/operators?limit=0").jsonPath().getList("_id");
        assertTrue(newestFirst.indexOf(second) < newestFirst.indexOf(id), "newest first");
        assertEquals(1, get("/api/v1/operators?limit=1").jsonPath().getList("$").size());
        long count = get("/api/v1/operators/count").jsonPath().getLong("count");
        assertEquals(sql.count("SELECT count(*) FROM operator"), count);

        JsonPath changed = put("/api/v1/operator/" + id, Map.of("url", url("/c"), "isPaused", false))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(url("/c"), changed.getString("url"));
        assertEquals(false, changed.getBoolean("isPaused"));
        assertEquals(channel, changed.getString("channel"), "fields not sent are kept");
        assertEquals("k", changed.getString("requestConfig.headers.X-Key"));
        assertEquals(url("/c"), get("/api/v1/operator/" + id).jsonPath().getString("url"));

        given().delete("/api/v1/operator/" + id).then().statusCode(200).body("deletedCount", org.hamcrest.Matchers.is(1));
        given().delete("/api/v1/operator/" + id).then().statusCode(200).body("deletedCount", org.hamcrest.Matchers.is(0));
        get("/api/v1/operator/" + id).then().statusCode(404)
                .body("message", org.hamcrest.Matchers.is("Operator with id " + id + " not found!"));
        put("/api/v1/operator/" + id, Map.of("isPaused", true)).then().statusCode(404);
    }

    @Test
    void the_document_get_returned_and_crew_uis_edit_body_are_accepted_back() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("headers", Map.of("X-Key", "k"));
        config.put("auth", Map.of("username", "u", "password", "p"));
        config.put("timeout", 5000);
        config.put("maxRedirects", 2);
        String full = createOperator(Map.of("channel", unique("doc"), "url", url("/a"), "requestConfig", config,
                "isPaused", true));
        String bare = createOperator(Map.of("channel", unique("doc"), "url", url("/b")));
        for (String id : List.of(full, bare)) {
            String read = get("/api/v1/operator/" + id).then().statusCode(200).extract().asString();
            String answered = given().contentType("application/json").body(read).when()
                    .put("/api/v1/operator/" + id).then().statusCode(200).extract().asString();
            assertEquals(MAPPER.readTree(read), MAPPER.readTree(answered));
            assertEquals(MAPPER.readTree(read), MAPPER.readTree(get("/api/v1/operator/" + id).asString()));
        }

        // crew-ui's dialog: {channel, url, requestConfig, isPaused}, requestConfig from its JSON editor.
        JsonPath shown = get("/api/v1/operator/" + bare).jsonPath();
        Map<String, Object> edit = new HashMap<>();
        edit.put("channel", shown.getString("channel"));
        edit.put("url", url("/changed"));
        edit.put("requestConfig", Map.of("headers", Map.of("X-Other", "v")));
        edit.put("isPaused", shown.get("isPaused"));
        put("/api/v1/operator/" + bare, edit).then().statusCode(200)
                .body("url", org.hamcrest.Matchers.is(url("/changed")))
                .body("requestConfig.headers.X-Other", org.hamcrest.Matchers.is("v"))
                .body("isPaused", org.hamcrest.Matchers.nullValue());
        edit.put("requestConfig", null);
        edit.put("isPaused", true);
        put("/api/v1/operator/" + bare, edit).then().statusCode(200)
                .body("requestConfig", org.hamcrest.Matchers.nullValue())
                .body("isPaused", org.hamcrest.Matchers.is(true));
        assertEquals(url("/changed"), sql.text("SELECT url FROM operator WHERE id = ?", bare));
        assertEquals("true", sql.text("SELECT is_paused::text FROM operator WHERE id = ?", bare));
    }

    @Test
    void invalid_operators_are_refused_with_400_and_nothing_is_stored() {
        long before = sql.count("SELECT count(*) FROM operator");
        List<Map<String, Object>> invalid = List.of(
                Map.of("url", url("/x")),
                Map.of("channel", "c", "url", "ftp://host/x"),
                Map.of("channel", "c", "url", "not a url"),
                Map.of("channel", "c"),
                Map.of("channel", "c", "url", url("/x"), "requestConfig", "headers"),
                Map.of("channel", "c", "url", url("/x"), "requestConfig", Map.of("timeout", -5)),
                Map.of("channel", "c", "url", url("/x"), "requestConfig", Map.of("headers", Map.of("Host", "h"))),
                Map.of("channel", "c", "url", url("/x"), "requestConfig", Map.of("auth", Map.of("username", 1))),
                Map.of("channel", "c", "url", url("/x"), "isPaused", "yes"));
        for (Map<String, Object> body : invalid) {
            post("/api/v1/operators", body).then().statusCode(400)
                    .body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        }
        String id = createOperator(Map.of("channel", "c", "url", url("/x"), "isPaused", true));
        put("/api/v1/operator/" + id, Map.of("url", "mailto:x@y")).then().statusCode(400);
        get("/api/v1/operator/nope").then().statusCode(400);
        assertEquals(before + 1, sql.count("SELECT count(*) FROM operator"));
        assertEquals(url("/x"), get("/api/v1/operator/" + id).jsonPath().getString("url"));
    }

    @Test
    void a_dag_runs_through_the_webhook_with_parents_outputs_and_children_from_answers() throws Exception {
        String channel = unique("hook");
        answer = request -> {
            String name = request.path("input").path("name").asText();
            if (name.equals("root")) {
                return ok("{\"output\":{\"n\":1},\"children\":[{\"name\":\"child\",\"channel\":\"" + channel
                        + "\",\"input\":{\"name\":\"child\"}}]}");
            }
            int sum = 0;
            for (JsonNode parent : request.path("parents")) {
                sum += parent.path("output").path("n").asInt();
            }
            return ok("{\"output\":{\"n\":" + (sum + 1) + "}}");
        };
        String operator = createOperator(Map.of("channel", channel, "url", url("/execute/" + channel),
                "requestConfig", Map.of("headers", Map.of("Authorization", "Bearer s3cret"))));
        String group = createGroup(unique("g"));
        String root = createTask(group, Map.of("name", "root", "channel", channel, "input", Map.of("name", "root")))
                .getString("_id");

        await("root and its child complete", () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group) == 2);
        String child = sql.text("SELECT id FROM task WHERE group_id = ? AND id <> ?", group, root);
        assertEquals(List.of(root), task(child).getList("parentIds"));
        assertEquals(2, task(child).getInt("output.n"), "the child saw its parent's output");
        assertEquals("Bearer s3cret", authorization.get(root));
        assertEquals("operator_" + operator,
                sql.text("SELECT worker_id FROM task_attempt WHERE task_id = ? AND outcome = 'completed'", root));
        JsonNode delivery = received.stream().filter(r -> r.path("taskId").asText().equals(root)).findFirst()
                .orElseThrow();
        assertEquals("root", delivery.path("input").path("name").asText());
        assertTrue(delivery.path("parents").isArray());
        Invariants.assertAll(sql);
    }

    @Test
    void error_answers_status_codes_and_timeouts_fail_the_attempt_with_crews_messages() throws Exception {
        String channel = unique("fail");
        answer = request -> switch (request.path("input").path("kind").asText()) {
            case "error" -> ok("{\"error\":\"boom\"}");
            case "status" -> Map.entry(500, "{\"message\":\"it broke\"}");
            case "bare" -> Map.entry(503, "");
            default -> {
                sleep(1500);
                yield ok("{\"output\":1}");
            }
        };
        createOperator(Map.of("channel", channel, "url", url("/x"), "requestConfig", Map.of("timeout", 300)));
        String group = createGroup(unique("g"));
        Map<String, String> expected = Map.of("error", "boom", "status", "it broke",
                "bare", "Request failed with status code 503", "slow", "timeout of 300ms exceeded");
        Map<String, String> ids = new HashMap<>();
        for (String kind : expected.keySet()) {
            ids.put(kind, createTask(group, Map.of("name", kind, "channel", channel, "input", Map.of("kind", kind),
                    "remainingAttempts", 1)).getString("_id"));
        }
        await("every task failed", () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'failed'", group) == 4);
        expected.forEach((kind, message) -> assertEquals(List.of(message),
                task(ids.get(kind)).getList("errors"), kind));
        assertEquals(4, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'failed'", group));
    }

    @Test
    void a_paused_operator_delivers_nothing_until_resumed() throws Exception {
        String channel = unique("paused");
        answer = request -> ok("{\"output\":\"done\"}");
        String operator = createOperator(Map.of("channel", channel, "url", url("/x"), "isPaused", true));
        String group = createGroup(unique("g"));
        String id = createTask(group, "t", channel);
        Thread.sleep(1500);
        assertEquals("ready", task(id).getString("state"));
        assertTrue(received.isEmpty());
        put("/api/v1/operator/" + operator, Map.of("isPaused", false)).then().statusCode(200);
        await("the task completes", () -> "complete".equals(task(id).getString("state")));
        assertEquals("done", task(id).getString("output"));
    }

    @Test
    void deliveries_in_flight_never_exceed_the_concurrency_and_each_task_is_delivered_once() throws Exception {
        String channel = unique("load");
        answer = request -> {
            sleep(20);
            return ok("{\"output\":" + request.path("input").path("i").asInt() + "}");
        };
        // Two operators of one channel share its tasks: each lane leases with SKIP LOCKED.
        createOperator(Map.of("channel", channel, "url", url("/one")));
        createOperator(Map.of("channel", channel, "url", url("/two")));
        String group = createGroup(unique("g"));
        List<Map<String, Object>> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "input", Map.of("i", i)));
        }
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);
        await("all 200 complete", () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group) == 200);
        assertEquals(200, received.size(), "one delivery per task");
        assertEquals(200, sql.count("SELECT count(DISTINCT a.task_id) FROM task_attempt a JOIN task t "
                + "ON t.id = a.task_id WHERE t.group_id = ? AND a.attempt = 1 AND a.outcome = 'completed'", group));
        assertTrue(maxInFlight.get() <= 16, "at most 8 per operator in flight, saw " + maxInFlight.get());
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND (output #>> '{}')::int "
                + "<> (input->>'i')::int", group));
        Invariants.assertAll(sql);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
