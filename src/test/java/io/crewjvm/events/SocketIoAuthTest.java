package io.crewjvm.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.crewjvm.auth.TokensConfigured;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With authentication on, socket.io-client 4.4.1 watches with an admin token presented in any of the three ways
 * a client can (socket.io's auth, an Authorization header, a token query parameter), and is refused, with
 * socket.io's connect_error and a message that says why, without one, with a worker token or an unknown one.
 */
@QuarkusTest
@TestProfile(TokensConfigured.class)
class SocketIoAuthTest {

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"transports\":[\"websocket\"],\"auth\":{\"token\":\"" + TokensConfigured.ADMIN + "\"}}",
        "{\"auth\":{\"token\":\"Bearer " + TokensConfigured.ADMIN + "\"}}",
        "{\"extraHeaders\":{\"Authorization\":\"Bearer " + TokensConfigured.ADMIN + "\"}}",
        "{\"transports\":[\"websocket\"],\"query\":{\"token\":\"" + TokensConfigured.ADMIN + "\"}}"})
    void an_admin_token_may_watch(String options) throws Exception {
        try (SocketIoClient client = SocketIoClient.connect(base, options)) {
            client.await("connected", line -> line.has("connected") || line.has("connect_error"));
            assertEquals(1, client.seen().stream().filter(line -> line.has("connected")).count(), client.describe());
            assertNull(client.watch("0123456789abcdef01234567"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{}|Authentication required",
        "{\"auth\":{\"token\":\"" + TokensConfigured.WORKER + "\"}}|Forbidden: watching task groups needs an admin token",
        "{\"transports\":[\"websocket\"],\"auth\":{\"token\":\"guess\"}}|Unknown token",
        "{\"extraHeaders\":{\"Authorization\":\"Bearer guess\"}}|Unknown token",
        "{\"extraHeaders\":{\"Authorization\":\"Basic YTpi\"}}|Unknown token"})
    void anything_else_is_refused_with_a_message(String options, String message) throws Exception {
        try (SocketIoClient client = SocketIoClient.connect(base, options)) {
            String refusal = client.await("connect_error", line -> line.has("connect_error") || line.has("connected"))
                    .path("connect_error").asText();
            assertEquals(true, refusal.startsWith(message), client.describe());
        }
    }
}
