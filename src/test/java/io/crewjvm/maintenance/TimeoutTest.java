package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Await;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** Execution timeouts: an attempt that runs too long ends as timed out, heartbeats or not (reclaimer every 1 s). */
@QuarkusTest
class TimeoutTest {

    private static final Logger LOG = Logger.getLogger(TimeoutTest.class);
    /** The reclaim interval of the test profile (application.properties). */
    private static final Duration SWEEP = Duration.ofSeconds(1);

    @Inject
    Sql sql;

    @Test
    void a_worker_heartbeating_forever_loses_an_attempt_that_runs_past_its_timeout() throws Exception {
        String channel = unique("timeout");
        String group = createGroup(unique("timeout"));
        String id = createTask(group, "hangs", channel, Map.of("timeoutSeconds", 2, "errorDelayInSeconds", 0));
        assertEquals(id, acquire(channel, "first").getString("task._id"));
        // The first worker heartbeats every 300 ms for as long as the service lets it.
        AtomicBoolean refused = new AtomicBoolean();
        AtomicInteger beats = new AtomicInteger();
        Thread heart = new Thread(() -> {
            while (!refused.get()) {
                int status = post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "first", "leaseSeconds", 30))
                        .then().extract().statusCode();
                beats.incrementAndGet();
                if (status == 409) {
                    refused.set(true);
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        heart.start();
        Await.until("the attempt timed out", Duration.ofSeconds(20), () -> sql.count(
                "SELECT count(*) FROM finished_attempt WHERE task_id = ? AND outcome = 'timed_out'", id) == 1);
        heart.join(5000);
        assertTrue(refused.get(), "the heartbeat after the deadline was refused");
        double ran = Double.parseDouble(sql.text("SELECT extract(epoch FROM finished_at - acquired_at) FROM "
                + "finished_attempt WHERE task_id = ? AND attempt = 1", id));
        LOG.infof("the attempt ended as timed out after %.3f s (%d heartbeats)", ran, beats.get());
        assertTrue(ran >= 2 && ran <= 2 + SWEEP.toSeconds() + 0.5, "ended within 2 s + the sweep: " + ran);
        assertEquals("\"Task timed out after 2 seconds.\"",
                sql.text("SELECT error::text FROM finished_attempt WHERE task_id = ? AND attempt = 1", id));
        // A second worker gets the task; the first one's heartbeat and release say it timed out.
        assertEquals(id, acquire(channel, "second").getString("task._id"));
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "first")).then().statusCode(409)
                .body("message", containsString("timed out"));
        release(id, Map.of("workerId", "first", "output", "late")).then().statusCode(409)
                .body("message", containsString("timed out"));
        release(id, Map.of("workerId", "second", "output", "in time")).then().statusCode(200);
        assertEquals("complete", sql.text("SELECT state::text FROM task WHERE id = ?", id));
        Invariants.assertAll(sql, SWEEP);
    }

    @Test
    void a_release_after_the_deadline_is_refused_before_the_sweep_ends_the_attempt() {
        String channel = unique("late");
        String group = createGroup(unique("late"));
        String id = createTask(group, "slow", channel, Map.of("timeoutSeconds", 1));
        assertEquals(id, acquire(channel, "w").getString("task._id"));
        // Past its deadline on the database clock, before the reclaimer looked.
        sql.execute("UPDATE task SET deadline_at = now() - interval '1 second', "
                + "assigned_at = now() - interval '2 seconds' WHERE id = ?", id);
        release(id, Map.of("workerId", "w", "output", "too late")).then().statusCode(409)
                .body("message", containsString("timed out"));
        post("/api/v1/task/" + id + "/heartbeat", Map.of("workerId", "w")).then().statusCode(409)
                .body("message", containsString("timed out"));
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE id = ? AND state = 'complete'", id));
    }
}
