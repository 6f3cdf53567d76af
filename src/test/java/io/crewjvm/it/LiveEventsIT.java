package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.embedded.EmbeddedDatabase;
import io.crewjvm.support.ServiceProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two service processes on one database: a task created and released through one of them shows up, as Crew's
 * task:create and task:update events, on both streams (everything, and its group's) of the other.
 */
class LiveEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static EmbeddedDatabase database;
    private static ServiceProcess writer;
    private static ServiceProcess streamer;

    @BeforeAll
    static void start() throws Exception {
        database = EmbeddedDatabase.start(null, 0, true);
        writer = ServiceProcess.start("events-writer", database.jdbcUrl(), Map.of());
        streamer = ServiceProcess.start("events-streamer", database.jdbcUrl(),
                Map.of("CREW_EVENTS_HEARTBEAT_INTERVAL", "1s"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {writer, streamer}) {
            if (p != null) {
                p.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void task_events_made_through_one_replica_reach_both_streams_of_another() throws Exception {
        Client api = new Client(writer::uri);
        String group = api.post("/api/v1/task_groups", Map.of("name", "events")).json().path("_id").asText();
        try (EventStreamClient all = new EventStreamClient(streamer.uri("/api/v1/events"));
             EventStreamClient mine = new EventStreamClient(streamer.uri("/api/v1/task_group/" + group + "/events"))) {
            all.awaitComment("connected", WAIT);
            mine.awaitComment("connected", WAIT);

            String task = api.post("/api/v1/task_group/" + group + "/tasks",
                    Map.of("name", "A", "channel", "events", "input", Map.of("n", 1))).json().path("_id").asText();
            for (EventStreamClient stream : List.of(all, mine)) {
                stream.await("task:create", t -> t.path("_id").asText().equals(task)
                        && t.path("taskGroupId").asText().equals(group) && t.path("input").path("n").asInt() == 1, WAIT);
            }

            Client.Reply acquired = api.post("/api/v1/channel/events/acquire", Map.of("workerId", "w1"));
            assertEquals(task, acquired.json().path("task").path("_id").asText());
            assertEquals(200, api.post("/api/v1/task/" + task + "/release",
                    Map.of("workerId", "w1", "output", Map.of("done", true))).status());
            for (EventStreamClient stream : List.of(all, mine)) {
                stream.await("task:update", t -> t.path("_id").asText().equals(task)
                        && t.path("isComplete").asBoolean() && t.path("output").path("done").asBoolean(), WAIT);
            }

            // Another group's events stay off this group's stream, and reach the global one.
            String other = api.post("/api/v1/task_groups", Map.of("name", "other")).json().path("_id").asText();
            api.post("/api/v1/task_group/" + other + "/tasks", Map.of("name", "B", "channel", "elsewhere"));
            all.await("task:create", t -> t.path("taskGroupId").asText().equals(other), WAIT);
            all.await("group:create", g -> g.path("_id").asText().equals(other), WAIT);
            assertTrue(mine.events().stream().noneMatch(e -> e.data().toString().contains(other)));

            api.post("/api/v1/task_group/" + group + "/pause", Map.of());
            mine.await("group:syncPause", p -> p.path("isPaused").asBoolean(), WAIT);

            mine.awaitComment("heartbeat", WAIT);
        }
        awaitNoListener();
    }

    @Test
    void a_malformed_group_id_is_refused() throws Exception {
        try (EventStreamClient bad = new EventStreamClient(streamer.uri("/api/v1/task_group/nope/events"))) {
            assertEquals(400, bad.status());
        }
    }

    /** With the last stream closed, the triggers stop announcing: nothing is sent on the hot path. */
    private static void awaitNoListener() throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (listeners() > 0) {
            assertTrue(Instant.now().isBefore(deadline), "the streamer's presence row stayed");
            Thread.sleep(100);
        }
    }

    private static long listeners() throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM event_listener WHERE expires_at > now()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
