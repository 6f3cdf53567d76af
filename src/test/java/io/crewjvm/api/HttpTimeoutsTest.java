package io.crewjvm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.CrewConfig;
import io.crewjvm.events.SocketIoClient;
import io.crewjvm.worker.LongPoll;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The write-idle timeout of the HTTP server ({@code crew.http-write-idle-timeout}, here 3 s): a connection whose
 * request headers never end is closed by the service within the timeout, while everything of Crew's that holds a
 * connection open and writes on it — an event stream's heartbeats, socket.io's pings, a long-poll shorter than the
 * timeout — outlives it many times over. The defaults keep the same order: the timeout above the longest long-poll,
 * the heartbeat interval and socket.io's ping interval.
 */
@QuarkusTest
@TestProfile(HttpTimeoutsTest.ShortWriteIdle.class)
class HttpTimeoutsTest {

    static final Duration WRITE_IDLE = Duration.ofSeconds(3);
    /** How late the close may come after the timeout: the timer's own precision and a loaded machine. */
    static final Duration SLACK = Duration.ofMillis(2500);

    public static class ShortWriteIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crew.http-write-idle-timeout", WRITE_IDLE.toMillis() + "ms",
                    "crew.events-heartbeat-interval", "1s",
                    "crew.socketio-ping-interval", "1s", "crew.socketio-ping-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void a_connection_sending_its_headers_a_byte_a_second_is_closed_within_the_timeout() throws Exception {
        byte[] headers = ("POST /api/v1/channel/slow/acquire HTTP/1.1\r\nHost: crew\r\nX-Slow: "
                + "a".repeat(100)).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            long opened = System.nanoTime();
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            boolean closed = false;
            // Without a timeout that applies, the connection stays open for as long as the client likes.
            long giveUp = opened + WRITE_IDLE.plus(SLACK).multipliedBy(2).toNanos();
            for (int next = 0; !closed && System.nanoTime() < giveUp; next++) {
                try {
                    out.write(headers[next % headers.length]);
                    out.flush();
                    closed = in.read() < 0; // the service never answers an incomplete request: -1 is its close
                } catch (SocketTimeoutException stillOpen) {
                    // a second without a close: the next byte
                } catch (IOException reset) {
                    closed = true;
                }
            }
            double after = (System.nanoTime() - opened) / 1e9;
            assertTrue(closed, "the connection was still open after " + after + " s");
            assertTrue(after >= WRITE_IDLE.toMillis() / 1000.0 - 0.5 && after <= (WRITE_IDLE.plus(SLACK)).toMillis()
                    / 1000.0, "closed after " + after + " s, the timeout is " + WRITE_IDLE);
        }
    }

    @Test
    void an_event_stream_with_heartbeats_outlives_the_timeout() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(
                base.resolve("api/v1/events")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException cut) {
                // counted as the end below
            }
            ended.set(true);
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(WRITE_IDLE.multipliedBy(3).toMillis());
        assertFalse(ended.get(), "the stream was closed: " + lines);
        long heartbeats = lines.stream().filter(l -> l.startsWith(":")).count();
        assertTrue(heartbeats >= 5, "heartbeats in " + WRITE_IDLE.multipliedBy(3) + ": " + lines);
        response.body().close();
    }

    @Test
    void a_socket_io_connection_pinged_by_the_service_outlives_the_timeout() throws Exception {
        try (SocketIoClient client = SocketIoClient.connect(base, "{\"transports\":[\"websocket\"]}")) {
            client.await("connected", line -> line.has("connected") || line.has("connect_error"));
            Thread.sleep(WRITE_IDLE.multipliedBy(3).toMillis());
            assertTrue(client.seen().stream().noneMatch(line -> line.has("disconnected")), client.describe());
            assertEquals(null, client.watch("0123456789abcdef01234567"), client.describe());
        }
    }

    @Test
    void a_long_poll_shorter_than_the_timeout_gets_its_empty_answer() throws Exception {
        int wait = (int) WRITE_IDLE.toSeconds() - 1;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(
                "api/v1/channel/http-timeouts-empty/acquire")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"w\",\"waitSeconds\":" + wait + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        double took = (System.nanoTime() - start) / 1e9;
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().matches("(?s).*\"task\"\\s*:\\s*null.*"), answer.body());
        assertTrue(took >= wait - 0.2, "answered after " + took + " s");
    }

    @Test
    void by_default_the_timeout_is_above_the_longest_long_poll_the_heartbeats_and_socket_io_pings() throws Exception {
        Duration writeIdle = defaultOf("httpWriteIdleTimeout");
        // A long-poll writes nothing until it answers; a margin for the statement that ends it and a slow machine.
        assertTrue(writeIdle.compareTo(Duration.ofSeconds(LongPoll.MAX_WAIT_SECONDS + 15)) >= 0, writeIdle.toString());
        assertTrue(writeIdle.compareTo(defaultOf("eventsHeartbeatInterval").multipliedBy(2)) >= 0);
        assertTrue(writeIdle.compareTo(defaultOf("socketioPingInterval").multipliedBy(2)) >= 0);
    }

    private static Duration defaultOf(String setting) throws NoSuchMethodException {
        String value = CrewConfig.class.getMethod(setting).getAnnotation(WithDefault.class).value();
        return Duration.parse("PT" + value.toUpperCase());
    }
}
