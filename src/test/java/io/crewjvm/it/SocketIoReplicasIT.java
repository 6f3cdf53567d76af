package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.embedded.EmbeddedDatabase;
import io.crewjvm.events.SocketIoClient;
import io.crewjvm.support.ServiceProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two service processes on one database, a socket.io-client 4.4.1 watching the same group on each: a change made
 * through either replica reaches the watcher of the other. Then one replica gets SIGTERM with its watcher still
 * connected: it exits within seconds (an upgraded WebSocket does not hold graceful shutdown), and its client
 * hears the transport close, as a client behind a load balancer does before it reconnects to another replica.
 */
class SocketIoReplicasIT {

    /** The shutdown delay (1 s) and the database's and pool's shutdown, with room for a slow machine. */
    private static final Duration PROMPT_EXIT = Duration.ofSeconds(12);
    private static EmbeddedDatabase database;
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void start() throws Exception {
        database = EmbeddedDatabase.start(null, 0, true);
        first = ServiceProcess.start("socketio-first", database.jdbcUrl(), Map.of());
        second = ServiceProcess.start("socketio-second", database.jdbcUrl(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {first, second}) {
            if (p != null) {
                p.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void each_replica_delivers_changes_made_through_the_other_and_a_watched_replica_stops_promptly()
            throws Exception {
        Client viaFirst = new Client(first::uri);
        Client viaSecond = new Client(second::uri);
        String group = viaFirst.post("/api/v1/task_groups", Map.of("name", "replicas")).json().path("_id").asText();
        try (SocketIoClient onFirst = SocketIoClient.connect(first.base(), "{\"transports\":[\"websocket\"]}");
             SocketIoClient onSecond = SocketIoClient.connect(second.base(), "{}")) {
            assertNull(onFirst.watch(group));
            onSecond.await("the upgrade to WebSocket", line -> "websocket".equals(line.path("upgraded").asText()));
            assertNull(onSecond.watch(group));

            String madeOnSecond = viaSecond.post("/api/v1/task_group/" + group + "/tasks",
                    Map.of("name", "via second", "channel", "replicas")).json().path("_id").asText();
            onFirst.awaitEvent("task:create", t -> t.path("_id").asText().equals(madeOnSecond));
            String madeOnFirst = viaFirst.post("/api/v1/task_group/" + group + "/tasks",
                    Map.of("name", "via first", "channel", "replicas")).json().path("_id").asText();
            onSecond.awaitEvent("task:create", t -> t.path("_id").asText().equals(madeOnFirst));

            long started = System.nanoTime();
            assertEquals(0, first.terminate(PROMPT_EXIT), "the replica with a watcher did not exit in time");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(PROMPT_EXIT) < 0, "SIGTERM took " + took);
            onFirst.await("the transport to close", line -> "transport close".equals(line.path("disconnected")
                    .asText()));
        }
    }
}
