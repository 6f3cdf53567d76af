package io.crewjvm.maintenance;

import static io.crewjvm.maintenance.Leases.await;
import static io.crewjvm.maintenance.Leases.createTasks;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Http;
import io.crewjvm.support.Sql;
import io.crewjvm.support.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Lease decisions are made on the database clock. The database session runs in Pacific/Chatham (UTC+12:45 or
 * +13:45) and the JVM in America/Los_Angeles; the JVM's clock never enters a lease: every lease timestamp is the
 * database's {@code now()} to the microsecond, and expiry is judged against the database's {@code now()}.
 */
@QuarkusTest
class LeaseClockTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** The database's clock, as text that keeps its offset (so it casts back to the same instant). */
    private String dbClock() {
        return sql.text("SELECT clock_timestamp()::text");
    }

    @Test
    void the_database_session_and_the_jvm_run_in_different_zones() {
        assertEquals(TestDatabase.SESSION_TIME_ZONE, sql.text("SHOW TimeZone"));
        assertNotEquals("UTC", TimeZone.getDefault().getID());
        assertNotEquals(TestDatabase.SESSION_TIME_ZONE, TimeZone.getDefault().getID());
        assertTrue(sql.text("SELECT now()::text").matches(".*\\+1[23]:45$"), "the session speaks Chatham time");
    }

    @Test
    void acquire_and_heartbeat_set_the_lease_from_the_database_clock() {
        Http http = new Http(base);
        String channel = unique("clock");
        createTasks(http, channel, 1, Map.of());
        String before = dbClock();
        JsonNode task = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "leaseSeconds", 600)).json().get("task");
        String after = dbClock();
        String id = task.get("_id").asText();
        assertEquals(1, sql.count("SELECT count(*) FROM task t JOIN task_attempt a ON a.task_id = t.id "
                + "WHERE t.id = ? AND a.acquired_at = t.assigned_at "
                + "AND t.lease_expires_at = t.assigned_at + interval '600 seconds' "
                + "AND t.assigned_at BETWEEN CAST(? AS timestamptz) AND CAST(? AS timestamptz)", id, before, after),
                "assigned and expiring at the database's now(), to the microsecond");
        assertEquals(sql.text("SELECT crew_time(lease_expires_at) FROM task WHERE id = ?", id),
                task.get("leaseExpiresAt").asText(), "the worker is told the database's expiry, in UTC");

        String beforeBeat = dbClock();
        JsonNode beat = http.post("api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w", "leaseSeconds", 900))
                .json();
        String afterBeat = dbClock();
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ? AND lease_expires_at - interval "
                + "'900 seconds' BETWEEN CAST(? AS timestamptz) AND CAST(? AS timestamptz)", id, beforeBeat, afterBeat),
                "extended from the database's now()");
        assertEquals(sql.text("SELECT crew_time(lease_expires_at) FROM task WHERE id = ?", id),
                beat.get("leaseExpiresAt").asText());
    }

    @Test
    void a_lease_ends_when_the_database_clock_passes_its_expiry_never_before() throws Exception {
        Http http = new Http(base);
        String channel = unique("clock");
        createTasks(http, channel, 1, Map.of("errorDelayInSeconds", 0));
        String id = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "leaseSeconds", 3600)).json().get("task").get("_id").asText();
        // An hour is far ahead on the database clock: several sweeps leave the lease alone.
        String sweepsLater = sql.text("SELECT (clock_timestamp() + interval '2.5 seconds')::text");
        await("three sweeps passed", Duration.ofSeconds(10), () -> sql.count(
                "SELECT count(*) WHERE clock_timestamp() > CAST(? AS timestamptz)", sweepsLater) == 1);
        assertEquals("running", sql.text("SELECT state::text FROM task WHERE id = ?", id));

        // Bring the expiry 2 s ahead of the database's now(): the reclaim follows that clock alone.
        String expiry = sql.text("UPDATE task SET lease_expires_at = clock_timestamp() + interval '2 seconds' "
                + "WHERE id = ? RETURNING lease_expires_at::text", id);
        String assigned = sql.text("SELECT assigned_at::text FROM task WHERE id = ?", id);
        await("reclaimed", Duration.ofSeconds(6), () -> !"running".equals(sql.text(
                "SELECT state::text FROM task WHERE id = ?", id)));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome = 'abandoned' "
                + "AND finished_at >= CAST(? AS timestamptz) AND finished_at < CAST(? AS timestamptz) + interval "
                + "'3 seconds'", id, expiry, expiry), "reclaimed after the expiry, within one interval and slack");
        long seconds = sql.count("SELECT round(extract(epoch FROM CAST(? AS timestamptz) - CAST(? AS timestamptz)))",
                expiry, assigned);
        assertEquals("[\"Task not completed in " + seconds + " seconds.\"]",
                sql.text("SELECT errors::text FROM task WHERE id = ?", id), "N is how long the lease ran");
    }

    @Test
    void lease_code_never_reads_the_jvm_wall_clock() throws IOException {
        Pattern wallClock = Pattern.compile("Instant\\.now|currentTimeMillis|LocalDateTime\\.now|OffsetDateTime\\.now"
                + "|ZonedDateTime\\.now|LocalDate\\.now|new Date\\(|Clock\\.system");
        for (String feature : List.of("worker", "maintenance", "task", "group", "workgroup", "db")) {
            try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/crewjvm", feature))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    assertTrue(wallClock.matcher(Files.readString(file)).results().findAny().isEmpty(),
                            file + " reads the JVM clock; time must come from the database");
                }
            }
        }
    }
}
