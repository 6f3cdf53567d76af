package io.crewjvm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.Api;
import io.crewjvm.support.Await;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Engine.IO 4 at /socket.io/ spoken by hand over the JDK's HttpClient, for what a well-behaved client never shows:
 * every malformed request gets Engine.IO's JSON error and a 4xx, a client that stops answering pings is dropped
 * with its rooms, and the service stops announcing changes once nobody watches.
 */
@QuarkusTest
@TestProfile(ShortSocketIoPings.class)
class EngineIoProtocolTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/socket.io/")
    URI socketIo;

    @Inject
    Sql sql;

    private HttpResponse<String> get(String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(socketIo + "?" + query)).timeout(Duration.ofSeconds(10))
                .header("Origin", "http://ui.example").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String query, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(socketIo + "?" + query)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, int status, int code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(code, error.path("code").asInt(), response.body());
        assertTrue(error.path("message").isTextual(), response.body());
    }

    /** Opens a polling session; its sid. */
    private String handshake() throws Exception {
        HttpResponse<String> open = get("EIO=4&transport=polling");
        assertEquals(200, open.statusCode(), open.body());
        assertEquals('0', open.body().charAt(0));
        return JSON.readTree(open.body().substring(1)).path("sid").asText();
    }

    @Test
    void the_handshake_tells_the_client_its_session_and_timings_and_admits_any_origin() throws Exception {
        HttpResponse<String> open = get("EIO=4&transport=polling");
        assertEquals(200, open.statusCode());
        assertEquals("http://ui.example", open.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        JsonNode handshake = JSON.readTree(open.body().substring(1));
        assertEquals(20, handshake.path("sid").asText().length());
        assertEquals("websocket", handshake.path("upgrades").path(0).asText());
        assertEquals(300, handshake.path("pingInterval").asInt());
        assertEquals(500, handshake.path("pingTimeout").asInt());
        assertEquals(1_000_000, handshake.path("maxPayload").asInt());
    }

    @Test
    void malformed_requests_get_engine_io_errors_not_500() throws Exception {
        assertRefused(get("EIO=3&transport=polling"), 400, 5);
        assertRefused(get("transport=polling"), 400, 5);
        assertRefused(get("EIO=4&transport=carrier-pigeon"), 400, 0);
        assertRefused(get("EIO=4&transport=polling&sid=nosuchsession"), 400, 1);
        assertRefused(post("EIO=4&transport=polling", "40"), 400, 2);
        assertRefused(get("EIO=4&transport=websocket"), 400, 3); // no Upgrade header
        String sid = handshake();
        assertRefused(post("EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(1_000_001)), 413, 3);
        assertRefused(get("EIO=4&transport=polling&sid=" + sid), 400, 1); // the oversized payload ended it
    }

    @Test
    void a_client_that_stops_answering_pings_is_dropped_with_its_rooms() throws Exception {
        String group = Api.createGroup(Api.unique("silent"));
        String sid = handshake();
        String session = "EIO=4&transport=polling&sid=" + sid;
        assertEquals("ok", post(session, "40").body());
        assertTrue(get(session).body().startsWith("40{\"sid\":"));
        assertEquals("ok", post(session, "421[\"watchTaskGroup\",{\"taskGroupId\":\"" + group + "\"}]").body());
        assertEquals("431[]", get(session).body()); // acknowledged once announcing is on
        assertEquals(1, sql.count("SELECT count(*) FROM event_listener WHERE expires_at > now()"));

        // Answering pings keeps it.
        for (int i = 0; i < 3; i++) {
            assertEquals("2", get(session).body());
            assertEquals("ok", post(session, "3").body());
        }
        // Silence: within the ping interval and timeout it is gone, and nobody is left to announce changes to.
        Await.until("the silent session to end", Duration.ofSeconds(10), () -> {
            try {
                return get(session).statusCode() == 400;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("announcing to stop", Duration.ofSeconds(10),
                () -> sql.count("SELECT count(*) FROM event_listener") == 0);
    }

    @Test
    void a_second_poll_at_once_ends_the_session_and_a_client_close_ends_it_too() throws Exception {
        String sid = handshake();
        String session = "EIO=4&transport=polling&sid=" + sid;
        var held = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(socketIo + "?" + session)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(100);
        assertRefused(get(session), 400, 3);
        assertEquals("1", held.get().body()); // the held poll hears the close
        String other = "EIO=4&transport=polling&sid=" + handshake();
        assertEquals("ok", post(other, "1").body());
        assertRefused(get(other), 400, 1);
    }

    @Test
    void a_namespace_other_than_the_root_is_refused_and_a_stray_packet_closes_the_session() throws Exception {
        String session = "EIO=4&transport=polling&sid=" + handshake();
        assertEquals("ok", post(session, "40/admin,").body());
        assertEquals("44/admin,{\"message\":\"Invalid namespace\"}", get(session).body());
        assertEquals("ok", post(session, "4not socket.io").body());
        assertRefused(get(session), 400, 1);
    }
}
