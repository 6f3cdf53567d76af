package io.crewjvm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.Api;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corpus of hostile requests against every endpoint that takes input: syntax errors, wrong types, NUL
 * characters, deep nesting, bodies of 20 MB, huge parent lists, injection-shaped strings in every string field and
 * path segment, out-of-range numbers and dates. Each must be refused with a 4xx and a JSON message (never a 5xx),
 * the schema must not change, and strings that are valid must come back byte for byte.
 */
@QuarkusTest
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** Strings that look like attacks or break naive code; all valid, so all stored and returned as they are. */
    static final List<String> INJECTION_SHAPED = List.of(
            "'; DROP TABLE task; --", "\" OR 1=1 --", "' OR ''='", "$$; SELECT pg_sleep(10); $$", "$1", ":channel",
            "%s%n%x", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "<script>alert(1)</script>", "../../etc/passwd",
            "a/b?c=d#e", "%2F%00%0A", "\\\\\\\"", "line\r\nbreak\ttab", "\u202Eright-to-left", "zero\u200Dwidth",
            "\uFEFFbom", "emoji \uD83D\uDE00 and \u00E9\u0301", "\u007F\u0080\uFFFD", "x".repeat(100_000));
    /** Path segments that must be refused or found, never crash: ids and names alike. */
    static final List<String> HOSTILE_SEGMENTS = List.of("'; DROP TABLE task; --", "1 OR 1=1", "..", "%00", "\u0000",
            "a/b", "000000000000000000000000' --", "${jndi:x}", "\uD800", "x".repeat(5000), " ", "-1",
            "99999999999999999999999999");

    @Inject
    Sql sql;

    @TestHTTPResource("/")
    URI base;

    private String group;
    private String task;
    private String channel;

    @BeforeEach
    void fixture() {
        channel = Api.unique("hostile");
        group = Api.createGroup(Api.unique("g"));
        task = Api.createTask(group, "t", channel);
    }

    record Reply(int status, String body) {
    }

    /** The endpoints that take a body, with their fields by expected type. */
    private List<Endpoint> endpoints() {
        Map<String, String> taskFields = fields("name:s channel:s workgroup:s key:s input:any priority:n "
                + "runAfter:date remainingAttempts:n errorDelayInSeconds:n isSeed:b parentIds:ids progressWeight:f "
                + "leaseSeconds:n");
        return List.of(
                new Endpoint("POST", "/api/v1/task_groups", fields("name:s isPaused:b")),
                new Endpoint("PUT", "/api/v1/task_group/" + group, fields("name:s")), // the rest is ignored
                new Endpoint("POST", "/api/v1/task_group/" + group + "/tasks", taskFields),
                new Endpoint("POST", "/api/v1/task_group/" + group + "/tasks/bulk", fields("tasks:objects")),
                new Endpoint("PUT", "/api/v1/task/" + task, taskFields),
                new Endpoint("POST", "/api/v1/task_group/" + group + "/reset", fields("remainingAttempts:n")),
                new Endpoint("POST", "/api/v1/task_group/" + group + "/retry", fields("remainingAttempts:n")),
                new Endpoint("POST", "/api/v1/task/" + task + "/retry", fields("remainingAttempts:n")),
                new Endpoint("POST", "/api/v1/channel/" + channel + "/acquire",
                        fields("workerId:s leaseSeconds:n waitSeconds:n")),
                new Endpoint("POST", "/api/v1/channel/" + channel + "/acquire_batch",
                        fields("workerId:s limit:n leaseSeconds:n waitSeconds:n")),
                new Endpoint("POST", "/api/v1/task/" + task + "/release",
                        fields("workerId:s attempt:n error:any children:objects workgroupDelayInSeconds:n "
                                + "childrenDelayInSeconds:n")),
                new Endpoint("POST", "/api/v1/task/" + task + "/heartbeat", fields("workerId:s attempt:n leaseSeconds:n")),
                new Endpoint("POST", "/api/v1/tasks/release", fields("releases:objects")),
                new Endpoint("POST", "/api/v1/operators", fields("channel:s url:s requestConfig:object isPaused:b")),
                new Endpoint("POST", "/api/v1/workgroup/" + Api.unique("wg") + "/pause", fields("seconds:n reason:s")));
    }

    record Endpoint(String method, String path, Map<String, String> fields) {
    }

    private static Map<String, String> fields(String spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : spec.split(" ")) {
            String[] p = f.split(":");
            fields.put(p[0], p[1]);
        }
        return fields;
    }

    @Test
    void the_corpus_is_refused_with_4xx_and_a_message_never_a_5xx_and_the_schema_is_unchanged() throws Exception {
        String schema = schema();
        long tasks = sql.count("SELECT count(*) FROM task");
        List<String> wrong = new ArrayList<>();
        List<Endpoint> endpoints = endpoints();
        for (Endpoint e : endpoints) {
            for (String body : List.of("{", "{\"name\":}", "[1,]", "nul", "{\"a\":1}}", "'x'", "{\"a\":\"x}", "[]",
                    "\"text\"", "42", "{\"a\":1,\"a\":NaN}", "{\"a\":\u0000}", "{\"a\":01}", "\uFEFF{")) {
                refused(wrong, e, body, "syntax");
            }
            for (Map.Entry<String, String> field : e.fields().entrySet()) {
                for (Object value : wrongTypes(field.getValue())) {
                    refused(wrong, e, JSON.writeValueAsString(Map.of(field.getKey(), value)), "type of " + field);
                }
                if (field.getValue().equals("s") || field.getValue().equals("any")) {
                    refused(wrong, e, JSON.writeValueAsString(Map.of(field.getKey(), "a\u0000b")), "NUL");
                }
            }
            refused(wrong, e, JSON.writeValueAsString(Map.of("workerId", "w", "name\u0000", 1)), "NUL in a key");
            refused(wrong, e, "{\"input\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "deep nesting");
            refused(wrong, e, "{\"name\":\"" + "x".repeat(20 * 1024 * 1024) + "\"}", "20 MB");
        }
        // Without Content-Length the size is known only while reading: the HTTP layer answers a bare 413 and closes,
        // possibly before the client finished sending (then no answer reaches it: -1). A blocking endpoint, a
        // non-blocking one and a batch one.
        for (Endpoint e : List.of(endpoints.get(2), endpoints.get(8), endpoints.get(12))) {
            Reply streamed = chunked(e, 20 * 1024 * 1024);
            if (streamed.status() != 413 && streamed.status() != -1) {
                wrong.add(e.method() + " " + e.path() + " (20 MB without Content-Length): " + streamed.status());
            }
        }
        Endpoint create = endpoints.get(2);
        for (Map.Entry<String, Object> bad : outOfRange().entrySet()) {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "t", "channel", channel));
            body.put(bad.getKey().replaceAll("#.*", ""), bad.getValue());
            refused(wrong, create, JSON.writeValueAsString(body), "out of range " + bad.getKey());
        }
        for (Object limit : List.of(0, -1, 1001, 1e12, 2147483648L)) {
            refused(wrong, endpoints.get(9), JSON.writeValueAsString(Map.of("workerId", "w", "limit", limit)),
                    "limit " + limit);
        }
        for (Object seconds : List.of(-1, 31, 1e12)) {
            refused(wrong, endpoints.get(8), JSON.writeValueAsString(Map.of("workerId", "w", "waitSeconds", seconds)),
                    "waitSeconds " + seconds);
        }
        List<String> thousands = IntStream.range(0, 50_000).mapToObj(i -> String.format("%024x", i)).toList();
        refused(wrong, create, JSON.writeValueAsString(Map.of("name", "t", "channel", channel, "parentIds", thousands)),
                "50,000 unknown parents");
        refused(wrong, create, JSON.writeValueAsString(Map.of("name", "t", "channel", channel, "parentIds",
                java.util.Collections.nCopies(50_000, task))), "one parent 50,000 times");
        assertEquals(List.of(), wrong);
        assertEquals(schema, schema(), "the schema changed");
        assertEquals(tasks, sql.count("SELECT count(*) FROM task"), "a refused request created a task");
        Invariants.assertAll(sql);
    }

    @Test
    void hostile_path_segments_are_4xx_with_a_message_or_answered_never_a_5xx() throws Exception {
        List<String> templates = List.of("GET /api/v1/task/{}", "GET /api/v1/task/{}/attempts", "PUT /api/v1/task/{}",
                "DELETE /api/v1/task/{}", "GET /api/v1/task_group/{}", "GET /api/v1/task_group/{}/tasks",
                "POST /api/v1/task_group/{}/pause", "POST /api/v1/task_group/{}/tasks", "DELETE /api/v1/task_group/{}",
                "POST /api/v1/task/{}/release", "POST /api/v1/task/{}/heartbeat", "POST /api/v1/task/{}/reset",
                "POST /api/v1/channel/{}/acquire", "POST /api/v1/channel/{}/acquire_batch",
                "GET /api/v1/channel/{}/tasks", "GET /api/v1/workgroup/{}", "POST /api/v1/workgroup/{}/pause",
                "GET /api/v1/operator/{}", "DELETE /api/v1/operator/{}", "GET /api/v1/task_groups?limit={}",
                "GET /api/v1/task_groups?skip={}", "GET /api/v1/channel/c/tasks?limit={}");
        String schema = schema();
        List<String> wrong = new ArrayList<>();
        for (String template : templates) {
            String[] parts = template.split(" ", 2);
            for (String segment : HOSTILE_SEGMENTS) {
                String path = parts[1].replace("{}", URLEncoder.encode(segment, StandardCharsets.UTF_8)
                        .replace("+", "%20"));
                Reply reply = send(parts[0], path, "{\"workerId\":\"w\",\"name\":\"n\",\"channel\":\"c\"}");
                if (reply.status() >= 500 || (reply.status() >= 400 && message(reply) == null)) {
                    wrong.add(template + " with " + shown(segment) + ": " + reply.status() + " " + shown(reply.body()));
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(schema, schema(), "the schema changed");
    }

    @Test
    void injection_shaped_strings_in_every_string_field_round_trip_byte_for_byte() throws Exception {
        for (String s : INJECTION_SHAPED) {
            String g = id(send("POST", "/api/v1/task_groups", JSON.writeValueAsString(Map.of("name", s))));
            assertBytes(s, JSON.readTree(send("GET", "/api/v1/task_group/" + g, null).body()).get("name"));
            assertBytes(s, JSON.readTree(sql.text("SELECT to_json(name)::text FROM task_group WHERE id = ?", g)));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", s);
            String indexed = s.length() > IndexedText.MAX_LENGTH ? s.substring(0, IndexedText.MAX_LENGTH) : s;
            fields.put("channel", indexed);
            fields.put("workgroup", indexed);
            fields.put("key", indexed);
            // Field names are limited to 50,000 characters (the JSON parser's limit; a longer one is 400).
            String name = s.length() > 1000 ? "long" : s;
            fields.put("input", Map.of("value", s, name, List.of(s)));
            String t = id(send("POST", "/api/v1/task_group/" + g + "/tasks", JSON.writeValueAsString(fields)));
            JsonNode stored = JSON.readTree(send("GET", "/api/v1/task/" + t, null).body());
            assertBytes(s, stored.get("name"));
            for (String field : List.of("channel", "workgroup", "key")) {
                assertBytes(indexed, stored.get(field));
            }
            assertBytes(s, stored.get("input").get("value"));
            assertBytes(s, stored.get("input").get(name).get(0));
            String channelPath = "/api/v1/channel/" + URLEncoder.encode(indexed, StandardCharsets.UTF_8)
                    .replace("+", "%20");
            JsonNode leased = JSON.readTree(send("POST", channelPath + "/acquire",
                    JSON.writeValueAsString(Map.of("workerId", s))).body()).get("task");
            assertEquals(t, leased.get("_id").asText(), "acquired through the encoded channel name");
            assertBytes(s, leased.get("assignedTo"));
            JsonNode done = JSON.readTree(send("POST", "/api/v1/task/" + t + "/release",
                    JSON.writeValueAsString(Map.of("workerId", s, "output", Map.of("out", s)))).body());
            assertBytes(s, done.get("output").get("out"));
        }
        Invariants.assertAll(sql);
    }

    private static void assertBytes(String expected, JsonNode actual) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), actual.textValue().getBytes(StandardCharsets.UTF_8),
                () -> "changed on its way: " + shown(expected));
    }

    /** Values of another JSON type than the field's. */
    private static List<Object> wrongTypes(String type) {
        return switch (type) {
            case "s" -> List.of(42, true, List.of("x"), Map.of("a", 1));
            case "n" -> List.of("12", true, List.of(1), Map.of("a", 1), 1.5);
            case "f" -> List.of("12", true, List.of(1), Map.of("a", 1));
            case "b" -> List.of("true", 1, List.of(true), Map.of("a", 1));
            case "ids" -> List.of("x", 42, List.of(42), List.of(Map.of()), List.of("not an id"));
            case "objects" -> List.of("x", 42, Map.of("a", 1), List.of(42), List.of("x"));
            case "object" -> List.of("x", 42, List.of(1));
            case "date" -> List.of(true, List.of(1), Map.of("a", 1), "not a date", "2020-13-45T00:00:00Z");
            default -> List.of(); // any JSON value is valid
        };
    }

    /** Numbers and dates outside what a task may hold (the key's suffix after # only tells cases apart). */
    private static Map<String, Object> outOfRange() {
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("priority#huge", new java.math.BigDecimal("1e400"));
        cases.put("priority#long", 9223372036854775808.0);
        cases.put("priority#int", 2147483648L);
        cases.put("remainingAttempts#negative", -1);
        cases.put("remainingAttempts#huge", 1e20);
        cases.put("errorDelayInSeconds#negative", -5);
        cases.put("errorDelayInSeconds#huge", 1e15);
        cases.put("leaseSeconds#zero", 0);
        cases.put("leaseSeconds#huge", 1e12);
        cases.put("progressWeight#huge", new java.math.BigDecimal("1e400"));
        cases.put("runAfter#year-10000", "+10000-01-01T00:00:00Z");
        cases.put("runAfter#year-0", "0000-01-01T00:00:00Z");
        cases.put("runAfter#negative-year", "-0001-01-01T00:00:00Z");
        cases.put("runAfter#huge-epoch", 1e20);
        cases.put("runAfter#no-zone-garbage", "2026-02-30T25:61:00");
        cases.put("channel#too-long-to-index", "c".repeat(IndexedText.MAX_LENGTH + 1));
        cases.put("key#too-long-to-index", "k".repeat(IndexedText.MAX_LENGTH + 1));
        return cases;
    }

    private void refused(List<String> wrong, Endpoint e, String body, String what) throws Exception {
        Reply reply = send(e.method(), e.path(), body);
        check(wrong, e, what, reply);
    }

    private static void check(List<String> wrong, Endpoint e, String what, Reply reply) {
        if (reply.status() < 400 || reply.status() >= 500 || message(reply) == null) {
            wrong.add(e.method() + " " + e.path() + " (" + what + "): " + reply.status() + " " + shown(reply.body()));
        }
    }

    private static String message(Reply reply) {
        try {
            JsonNode m = JSON.readTree(reply.body()).get("message");
            return m != null && m.isTextual() && !m.textValue().isBlank() ? m.textValue() : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private Reply chunked(Endpoint e, int bytes) throws Exception {
        byte[] body = ("{\"name\":\"" + "x".repeat(bytes) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(e.path())).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(e.method(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (java.io.IOException closedWhileSending) {
            return new Reply(-1, String.valueOf(closedWhileSending));
        }
    }

    private Reply send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (java.io.IOException closedWhileSending) {
            return new Reply(-1, String.valueOf(closedWhileSending));
        }
    }

    private static String id(Reply reply) throws Exception {
        assertEquals(200, reply.status(), reply.body());
        return JSON.readTree(reply.body()).get("_id").asText();
    }

    /** Tables, columns, types, constraints and indexes of the schema. */
    private String schema() {
        return sql.text("SELECT string_agg(x, E'\\n' ORDER BY x) FROM ("
                + "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS x "
                + "FROM information_schema.columns WHERE table_schema = 'public' "
                + "UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
                + "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                + "UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
                + "UNION ALL SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' "
                + "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace) s");
    }

    private static String shown(String s) {
        String escaped = s.chars().mapToObj(c -> c < 32 || c > 126 ? String.format("\\u%04x", c)
                : String.valueOf((char) c)).collect(Collectors.joining());
        return escaped.length() > 160 ? escaped.substring(0, 160) + "..." : escaped;
    }
}
