package io.crewjvm;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Sql;
import io.crewjvm.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** The database session and the JVM run in different, non-UTC zones; the wire speaks UTC. */
@QuarkusTest
class TimeZoneTest {

    @Inject
    Sql sql;

    @Test
    void database_session_and_jvm_run_in_different_non_utc_zones() {
        assertEquals(TestDatabase.SESSION_TIME_ZONE, sql.text("SHOW TimeZone"));
        assertNotEquals("UTC", TimeZone.getDefault().getID());
        assertNotEquals(TestDatabase.SESSION_TIME_ZONE, TimeZone.getDefault().getID());
    }

    @Test
    void dates_leave_in_utc_with_milliseconds() {
        String group = createGroup(unique("tz"));
        String runAfter = "2031-05-06T07:08:09.123Z";
        var task = createTask(group, Map.of("name", "t", "channel", unique("tz"), "runAfter", runAfter));
        assertEquals(runAfter, task.getString("runAfter"));
        assertTrue(task.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        Instant created = Instant.parse(task.getString("createdAt"));
        assertTrue(Duration.between(created, Instant.now()).abs().toMinutes() < 5, "createdAt is the current UTC time");
    }

    @Test
    void a_delayed_task_is_not_acquired_before_its_run_after_whatever_the_zones() {
        String group = createGroup(unique("tz"));
        String channel = unique("tz");
        createTask(group, Map.of("name", "later", "channel", channel,
                "runAfter", Instant.now().plusSeconds(3600).toString()));
        createTask(group, Map.of("name", "local-offset", "channel", channel,
                "runAfter", "2099-01-01T00:00:00+13:45"));
        assertNull(acquire(channel, "w").get("task"));
        createTask(group, Map.of("name", "past", "channel", channel, "runAfter", "2001-01-01T00:00:00-08:00"));
        assertEquals("past", acquire(channel, "w").getString("task.name"));
    }
}
