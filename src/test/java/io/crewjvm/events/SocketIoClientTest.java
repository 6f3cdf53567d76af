package io.crewjvm.events;

import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real socket.io-client 4.4.1 (npm), as crew-ui uses it, against the service's /socket.io/: with its default
 * transports (polling, then the upgrade to WebSocket), WebSocket only and polling only, a watcher of a group gets
 * Crew's events of that group with Crew's payloads, none of other groups, and none once it unwatched. Events
 * arrive in the order their changes committed, so "none of X" is checked by waiting for an event of a later change
 * and finding no X before it.
 */
@QuarkusTest
class SocketIoClientTest {

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest(name = "options {0}")
    @ValueSource(strings = {"{}", "{\"transports\":[\"websocket\"]}", "{\"transports\":[\"polling\"]}"})
    void a_watcher_gets_its_groups_events_none_of_others_and_none_after_unwatching(String options) throws Exception {
        String mine = Api.createGroup(unique("watched"));
        String other = Api.createGroup(unique("unwatched"));
        String channel = unique("sio");
        try (SocketIoClient client = SocketIoClient.connect(base, options)) {
            JsonNode opened = client.await("opened", line -> line.has("opened"));
            client.await("connected", line -> line.has("connected"));
            if ("{}".equals(options)) {
                assertEquals("polling", opened.path("opened").asText());
                client.await("the upgrade to WebSocket", line -> "websocket".equals(line.path("upgraded").asText()));
            }
            assertNull(client.watch(mine));

            String otherTask = Api.createTask(other, "elsewhere", unique("sio-other"));
            String task = Api.createTask(mine, Map.of("name", "A", "channel", channel, "input", Map.of("n", 1)))
                    .getString("_id");
            JsonNode created = client.awaitEvent("task:create", t -> t.path("_id").asText().equals(task));
            assertEquals(mine, created.path("taskGroupId").asText());
            assertEquals(1, created.path("input").path("n").asInt());

            assertEquals(task, Api.acquire(channel, "w1").getString("task._id"));
            Api.complete(task, "w1", Map.of("done", true));
            client.awaitEvent("task:update", t -> t.path("_id").asText().equals(task)
                    && t.path("isComplete").asBoolean() && t.path("output").path("done").asBoolean());

            Api.put("/api/v1/task_group/" + mine, Map.of("name", "renamed")).then().statusCode(200);
            client.awaitEvent("task_group:update", g -> "renamed".equals(g.path("name").asText()));
            Api.post("/api/v1/task_group/" + mine + "/pause", null).then().statusCode(200);
            client.awaitEvent("group:syncPause", p -> p.path("isPaused").asBoolean());
            Api.post("/api/v1/task_group/" + mine + "/resume", null).then().statusCode(200);
            client.awaitEvent("group:syncPause", p -> p.has("isPaused") && !p.path("isPaused").asBoolean());
            Api.post("/api/v1/task_group/" + mine + "/retry", null).then().statusCode(200);
            client.awaitEvent("group:retry", JsonNode::isNull);
            Api.post("/api/v1/task_group/" + mine + "/reset", null).then().statusCode(200);
            client.awaitEvent("group:reset", JsonNode::isNull);
            Api.get("/api/v1/task/" + task).then().statusCode(200);
            io.restassured.RestAssured.delete("/api/v1/task/" + task).then().statusCode(200);
            client.awaitEvent("task:delete", t -> t.path("_id").asText().equals(task));

            for (JsonNode line : client.seen()) {
                JsonNode data = line.path("data");
                assertFalse(other.equals(data.path("taskGroupId").asText()) || other.equals(data.path("_id").asText())
                        || otherTask.equals(data.path("_id").asText()), "an event of another group: " + line);
            }

            assertNull(client.unwatch(mine));
            String late = Api.createTask(mine, "after unwatching", channel);
            String third = Api.createGroup(unique("third"));
            assertNull(client.watch(third));
            String marker = Api.createTask(third, "marker", channel);
            client.awaitEvent("task:create", t -> t.path("_id").asText().equals(marker));
            assertTrue(client.seen().stream().noneMatch(line -> late.equals(line.path("data").path("_id").asText())),
                    "an event after unwatchTaskGroup:\n" + client.describe());
        }
    }

    @Test
    void crew_uis_watch_without_acknowledgement_gets_the_groups_events() throws Exception {
        String group = Api.createGroup(unique("crew-ui"));
        try (SocketIoClient client = SocketIoClient.connect(base, "{}")) {
            client.await("connected", line -> line.has("connected"));
            client.command("crew-watch " + group);
            // No acknowledgement to wait for: changes are made until one is heard, as a page that is open would.
            String channel = unique("sio");
            long deadline = System.nanoTime() + SocketIoClient.WAIT.toNanos();
            while (client.seen().stream().noneMatch(line -> "task:create".equals(line.path("event").asText()))) {
                assertTrue(System.nanoTime() < deadline, "no event for a watch without acknowledgement:\n"
                        + client.describe());
                Api.createTask(group, "T", channel);
                Thread.sleep(200);
            }
        }
    }

    @Test
    void key_events_follow_a_keyed_tasks_lease_and_its_duplicates_share_the_release() throws Exception {
        String group = Api.createGroup(unique("keys"));
        String channel = unique("sio-key");
        try (SocketIoClient client = SocketIoClient.connect(base, "{\"transports\":[\"websocket\"]}")) {
            client.await("connected", line -> line.has("connected"));
            assertNull(client.watch(group));
            Map<String, Object> keyed = Map.of("name", "K", "channel", channel, "key", "k1", "errorDelayInSeconds", 0);
            String first = Api.createTask(group, keyed).getString("_id");
            Api.createTask(group, keyed);

            assertEquals(first, Api.acquire(channel, "w1").getString("task._id"));
            client.awaitEvent("task:acquire:key", k -> channel.equals(k.path("channel").asText())
                    && "k1".equals(k.path("key").asText()) && "w1".equals(k.path("update").path("assignedTo").asText())
                    && k.path("update").path("assignedAt").isTextual());
            Api.release(first, Map.of("workerId", "w1", "error", "rate limited")).then().statusCode(200);
            JsonNode failed = client.awaitEvent("task:release:key", k -> !k.path("update").path("isComplete")
                    .asBoolean(true));
            assertEquals("rate limited", failed.path("update").path("error").asText());
            assertTrue(failed.path("update").path("assignedTo").isNull());
            assertTrue(failed.path("update").path("remainingAttempts").isInt());

            String again = Api.acquire(channel, "w2").getString("task._id");
            Api.complete(again, "w2", Map.of("sent", 2));
            JsonNode done = client.awaitEvent("task:release:key", k -> k.path("update").path("isComplete")
                    .asBoolean());
            assertEquals(2, done.path("update").path("output").path("sent").asInt());
            assertEquals(0, done.path("update").path("remainingAttempts").asInt());
            assertTrue(done.path("update").path("runAfter").isNull());
        }
    }

    @Test
    void an_invalid_group_id_is_refused_in_the_acknowledgement() throws Exception {
        try (SocketIoClient client = SocketIoClient.connect(base, "{\"transports\":[\"websocket\"]}")) {
            client.await("connected", line -> line.has("connected"));
            JsonNode error = client.watch("not-an-id");
            assertTrue(error.path("message").asText().contains("24-character hex"), error.toString());
        }
    }
}
