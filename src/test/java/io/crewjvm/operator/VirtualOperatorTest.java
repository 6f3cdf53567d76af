package io.crewjvm.operator;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREW_VIRTUAL_OPERATOR_BASE_URL: every channel without an operator is delivered to the base URL + its name, with
 * the CREW_VIRTUAL_OPERATOR_AUTH_TOKEN as a bearer token; a channel with an operator of its own keeps it.
 */
@QuarkusTest
@TestProfile(VirtualOperatorTest.Virtual.class)
class VirtualOperatorTest {

    private static final String PORT = "virtual-operator-test.port";

    public static class Virtual implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Called more than once (and from more than one class loader): the port is chosen once per JVM.
            if (System.getProperty(PORT) == null) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    System.setProperty(PORT, String.valueOf(socket.getLocalPort()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Map.of("crew.virtual-operator-base-url", "http://127.0.0.1:" + System.getProperty(PORT)
                    + "/execute/", "crew.virtual-operator-auth-token", "t0ken", "crew.operator-refresh-interval", "200ms");
        }
    }

    private HttpServer server;
    private final Map<String, String> tokenByPath = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getProperty(PORT))), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            tokenByPath.put(exchange.getRequestURI().getRawPath(),
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = ("{\"output\":\"" + exchange.getRequestURI().getRawPath() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void awaitComplete(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"complete".equals(task(id).getString("state"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + id + " did not complete: " + task(id).prettyPrint());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void channels_are_delivered_to_the_base_url_with_the_token_unless_they_have_an_operator() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("virtual channel");
        String plain = createTask(group, "t", channel);
        awaitComplete(plain);
        String path = "/execute/" + channel.replace(" ", "%20");
        assertEquals(path, task(plain).getString("output"));
        assertEquals("Bearer t0ken", tokenByPath.get(path));

        String own = unique("own");
        String operator = post("/api/v1/operators", Map.of("channel", own, "url",
                "http://127.0.0.1:" + System.getProperty(PORT) + "/mine")).then().statusCode(200).extract().path("_id");
        try {
            String owned = createTask(group, "t", own);
            awaitComplete(owned);
            assertEquals("/mine", task(owned).getString("output"));
            assertTrue(!tokenByPath.containsKey("/execute/" + own), "the virtual operator left the channel alone");
            assertEquals("null", tokenByPath.get("/mine"), "the token goes to the virtual operator's URL only");
        } finally {
            given().delete("/api/v1/operator/" + operator);
        }
    }
}
