package io.crewjvm.api;

import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every JSON body the service answers is compact, as Crew's JSON.stringify writes it: no whitespace between tokens
 * outside strings, whatever the spacing of the request. Walks the main endpoints with inputs, outputs and errors sent
 * with spaces and nested values, a task with a parent and a continuation child, and reads the same documents as
 * Server-Sent Events and socket.io packets. User-given JSON comes back with its keys in the order sent and its
 * numbers as written.
 */
@QuarkusTest
class CompactJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String INPUT = "{ \"to\" : \"ada@example.com\",\n  \"nested\": {\"list\": [1, 2.50, \"a, b: c\"],"
            + " \"empty\": { } }, \"big\": 12345678901234567890123, \"tiny\": 1e-7 }";
    private static final String INPUT_COMPACT = "{\"to\":\"ada@example.com\",\"nested\":{\"list\":[1,2.50,\"a, b: c\"],"
            + "\"empty\":{}},\"big\":12345678901234567890123,\"tiny\":1e-7}";

    @TestHTTPResource("/")
    URI base;

    @Test
    void every_main_endpoint_answers_compact_json_and_stored_json_keeps_its_order_and_numbers() throws Exception {
        String channel = unique("compact");
        String group = id(call("POST", "/api/v1/task_groups", "{ \"name\" : \"compact, spaced: group\" }"));
        try (SseReader sse = new SseReader(base.resolve("api/v1/task_group/" + group + "/events"));
             SocketIoReader socketIo = new SocketIoReader(base.resolve("socket.io/"), group)) {
            String a = id(call("POST", "/api/v1/task_group/" + group + "/tasks", "{ \"name\": \"A\", \"channel\": \""
                    + channel + "\", \"errorDelayInSeconds\": 0, \"input\": " + INPUT + " }"));
            assertTrue(call("GET", "/api/v1/task/" + a, null).contains("\"input\":" + INPUT_COMPACT),
                    "the input as sent, compact");
            String b = id(call("POST", "/api/v1/task_group/" + group + "/tasks", "{\"name\": \"B\", \"channel\": \""
                    + channel + "\", \"key\": \"k b\", \"errorDelayInSeconds\": 0, \"parentIds\": [ \"" + a + "\" ],"
                    + " \"input\": [ 1, { \"x\" : null } ] }"));
            String bulk = call("POST", "/api/v1/task_group/" + group + "/tasks/bulk", "{ \"tasks\": [ {\"name\": \"X\","
                    + " \"channel\": \"" + channel + "-bulk\", \"_child_id\": \"x\", \"input\": {\"a\": [1, 2]}},"
                    + " {\"name\": \"Y\", \"channel\": \"" + channel + "-bulk\", \"_parent_ids\": [\"x\"]} ] }");
            String x = JSON.readTree(bulk).get(0).get("_id").asText();

            call("POST", "/api/v1/channel/" + channel + "/acquire", "{ \"workerId\": \"w\" }");
            call("POST", "/api/v1/task/" + a + "/release", "{ \"workerId\": \"w\", \"output\": { \"sent\" : true,"
                    + " \"to\": [\"ada\", \"bob\"] }, \"children\": [ { \"name\": \"A child\", \"channel\": \""
                    + channel + "\", \"input\": { \"from\" : \"A\" } } ] }");
            String withParent = call("POST", "/api/v1/channel/" + channel + "/acquire", "{\"workerId\": \"w\"}");
            assertTrue(withParent.contains("\"parents\":[{\"_id\":\"" + a + "\",\"channel\":\"" + channel
                    + "\",\"input\":" + INPUT_COMPACT + ",\"output\":{\"sent\":true,\"to\":[\"ada\",\"bob\"]}}]"),
                    withParent);
            assertTrue(withParent.contains("\"parentIds\":[\"" + a + "\"]"), withParent);
            call("POST", "/api/v1/task/" + b + "/release", "{ \"workerId\": \"w\", \"error\": { \"code\": 429,"
                    + " \"message\": \"slow, down: please\" } }");
            String batch = call("POST", "/api/v1/channel/" + channel + "/acquire_batch",
                    "{ \"workerId\": \"w\", \"limit\": 10 }");
            JsonNode leased = JSON.readTree(batch).get("tasks");
            assertEquals(2, leased.size(), batch);
            String child = leased.get(0).get("task").get("_id").asText().equals(b)
                    ? leased.get(1).get("task").get("_id").asText() : leased.get(0).get("task").get("_id").asText();
            call("POST", "/api/v1/task/" + b + "/heartbeat", "{ \"workerId\": \"w\" }");
            call("POST", "/api/v1/tasks/release", "{ \"releases\": [ { \"taskId\": \"" + b + "\", \"workerId\": \"w\","
                    + " \"output\": { \"ok\" : true } }, { \"taskId\": \"" + child + "\", \"workerId\": \"w\","
                    + " \"error\": \"boom\" } ] }");
            assertTrue(call("GET", "/api/v1/task/" + b, null).contains("\"errors\":[{\"code\":429,"
                    + "\"message\":\"slow, down: please\"}],\"output\":{\"ok\":true}"), "errors and output compact");

            for (String path : List.of("/api/v1/task/" + a, "/api/v1/task/" + b + "/attempts",
                    "/api/v1/task/" + child + "/attempts", "/api/v1/task_group/" + group + "/tasks",
                    "/api/v1/channel/" + channel + "/tasks", "/api/v1/channels", "/api/v1/task_group/" + group,
                    "/api/v1/task_groups", "/api/v1/task_groups/count", "/api/v1/task_group/" + group + "/graph",
                    "/api/v1/workgroups", "/api/v1/operators", "/api/v1/operators/count", "/healthz")) {
                call("GET", path, null);
            }

            String workgroup = unique("wg");
            call("POST", "/api/v1/task_group/" + group + "/tasks", "{\"name\": \"W\", \"channel\": \"" + channel
                    + "-wg\", \"workgroup\": \"" + workgroup + "\"}");
            call("POST", "/api/v1/workgroup/" + workgroup + "/pause", "{ \"seconds\": 60, \"reason\": \"rate, limited\" }");
            call("GET", "/api/v1/workgroup/" + workgroup, null);
            call("GET", "/api/v1/workgroups", null);
            call("POST", "/api/v1/workgroup/" + workgroup + "/resume", null);

            String operator = id(call("POST", "/api/v1/operators", "{ \"channel\": \"" + channel + "-op\", \"url\":"
                    + " \"http://127.0.0.1:9/hook\", \"requestConfig\": { \"timeout\": 1000, \"headers\": { \"X-B\": \"2\","
                    + " \"X-A\": \"1\" } }, \"isPaused\": true }"));
            assertTrue(call("GET", "/api/v1/operator/" + operator, null).contains(
                    "\"requestConfig\":{\"timeout\":1000,\"headers\":{\"X-B\":\"2\",\"X-A\":\"1\"}}"), "keys as sent");
            call("PUT", "/api/v1/operator/" + operator, "{ \"isPaused\": true, \"requestConfig\": { \"timeout\": 2000 } }");
            call("DELETE", "/api/v1/operator/" + operator, null);

            call("POST", "/api/v1/task/" + child + "/retry", "{ \"remainingAttempts\": 2 }");
            call("POST", "/api/v1/task/" + b + "/reset", "{ }");
            call("POST", "/api/v1/task/" + x + "/pluck", null);
            for (String action : List.of("pause", "resume", "retry", "reset")) {
                call("POST", "/api/v1/task_group/" + group + "/" + action, "{ }");
            }
            call("PUT", "/api/v1/task_group/" + group, "{ \"name\": \"renamed, still spaced\" }");
            assertCompact("404", given().when().get("/api/v1/task/" + "0".repeat(24)).then().statusCode(404)
                    .extract().asString());
            // Last: its event tells both readers that every earlier one has come.
            String last = call("PUT", "/api/v1/task/" + x, "{ \"input\": { \"last\" : [ true ] } }");
            assertTrue(last.contains("\"input\":{\"last\":[true]}"), last);

            List<String> events = sse.until("\"last\":[true]");
            assertTrue(events.size() > 10, "events of the walk: " + events);
            events.forEach(data -> assertCompact("an SSE event", data));
            assertTrue(events.stream().anyMatch(data -> data.contains("\"input\":" + INPUT_COMPACT)), "a task's event");
            List<String> packets = socketIo.until("\"last\":[true]");
            assertTrue(packets.size() > 10, "packets of the walk: " + packets);
            packets.forEach(packet -> assertCompact("a socket.io event", packet.substring(2)));
            assertTrue(packets.stream().anyMatch(p -> p.startsWith("42[\"task:release:key\",")), "a key event");
        }
    }

    @Test
    void a_key_sent_twice_keeps_its_first_place_and_its_last_value_as_json_parse_does() throws Exception {
        String group = id(call("POST", "/api/v1/task_groups", "{\"name\": \"twice\"}"));
        String task = call("POST", "/api/v1/task_group/" + group + "/tasks", "{\"name\": \"t\", \"channel\": \""
                + unique("twice") + "\", \"input\": {\"a\": 1, \"b\": 2, \"a\": {\"c\": 3}}}");
        assertTrue(task.contains("\"input\":{\"a\":{\"c\":3},\"b\":2}"), task);
    }

    /** The answer's body, checked compact; status 200 expected. */
    private static String call(String method, String path, String body) {
        var request = given().contentType(ContentType.JSON);
        if (body != null) {
            request = request.body(body);
        }
        Response response = request.when().request(method, path);
        String answer = response.then().extract().asString();
        assertEquals(200, response.statusCode(), method + " " + path + ": " + answer);
        assertCompact(method + " " + path, answer);
        return answer;
    }

    private static String id(String document) throws Exception {
        return JSON.readTree(document).get("_id").asText();
    }

    /** JSON with no whitespace between its tokens (in strings it is content). */
    static void assertCompact(String what, String json) {
        try {
            JSON.readTree(json);
        } catch (Exception e) {
            fail(what + " is not JSON: " + json, e);
        }
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (Character.isWhitespace(c)) {
                fail(what + " has whitespace between tokens at " + i + ": "
                        + json.substring(Math.max(0, i - 60), Math.min(json.length(), i + 20)));
            }
        }
    }

    /** The data of one stream's events, read as they come. */
    private static final class SseReader implements AutoCloseable {

        private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
        private final Stream<String> lines;

        SseReader(URI uri) throws Exception {
            lines = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).body();
            Thread reader = new Thread(() -> lines.filter(line -> line.startsWith("data: "))
                    .forEach(line -> data.add(line.substring("data: ".length()))), "compact-sse");
            reader.setDaemon(true);
            reader.start();
        }

        /** The data received until one containing {@code marker}, that one included. */
        List<String> until(String marker) throws InterruptedException {
            List<String> received = new ArrayList<>();
            long end = System.nanoTime() + WAIT.toNanos();
            while (received.isEmpty() || !received.get(received.size() - 1).contains(marker)) {
                String next = data.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertTrue(next != null, "no event with " + marker + " within " + WAIT + ": " + received);
                received.add(next);
            }
            return received;
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /**
     * A socket.io client over Engine.IO polling, by hand, watching one group: a GET always waits for the next
     * packets, as a client's does (the service closes a session whose packets pile up unread).
     */
    private static final class SocketIoReader implements AutoCloseable {

        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final String session;
        private volatile boolean open = true;

        SocketIoReader(URI socketIo, String group) throws Exception {
            String handshake = send(HttpRequest.newBuilder(URI.create(socketIo + "?EIO=4&transport=polling")));
            String sid = JSON.readTree(handshake.substring(1)).get("sid").asText();
            session = socketIo + "?EIO=4&transport=polling&sid=" + sid;
            post("40");
            assertTrue(poll().get(0).startsWith("40"), "connected");
            post("421[\"watchTaskGroup\",{\"taskGroupId\":\"" + group + "\"}]");
            assertEquals(List.of("431[]"), poll(), "watching");
            Thread reader = new Thread(this::read, "compact-socket-io");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                while (open) {
                    for (String packet : poll()) {
                        if (packet.equals("2")) {
                            post("3");
                        } else if (packet.startsWith("42")) {
                            events.add(packet);
                        }
                    }
                }
            } catch (Exception | AssertionError e) {
                events.add("the reader stopped: " + e);
            }
        }

        /** The event packets received until one containing {@code marker}, that one included. */
        List<String> until(String marker) throws InterruptedException {
            List<String> received = new ArrayList<>();
            long end = System.nanoTime() + WAIT.toNanos();
            while (received.isEmpty() || !received.get(received.size() - 1).contains(marker)) {
                String next = events.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertTrue(next != null, "no packet with " + marker + " within " + WAIT + ": " + received);
                assertTrue(next.startsWith("42"), next);
                received.add(next);
            }
            return received;
        }

        private List<String> poll() throws Exception {
            return List.of(send(HttpRequest.newBuilder(URI.create(session))).split("\u001e"));
        }

        private void post(String packet) throws Exception {
            assertEquals("ok", send(HttpRequest.newBuilder(URI.create(session))
                    .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(packet))));
        }

        private static String send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        }

        @Override
        public void close() throws Exception {
            open = false;
            post("1"); // Engine.IO close: the held GET is answered
        }
    }
}
