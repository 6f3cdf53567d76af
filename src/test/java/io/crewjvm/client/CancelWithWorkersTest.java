package io.crewjvm.client;

import static io.crewjvm.client.ClientTests.groupStatus;
import static io.crewjvm.client.ClientTests.options;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Await;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A group cancelled under twenty JVM-client workers: the running ones hear it at their next heartbeat, stop the
 * task (interrupt and {@link TaskContext#isStopped()}), drop its result and go on with other work.
 */
@QuarkusTest
class CancelWithWorkersTest {

    private static final Logger LOG = Logger.getLogger(CancelWithWorkersTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Heartbeats every 2.25 s: a third of the lease (3 s) leaves 0.75 s for the refused heartbeat's round trip. */
    private static final int LEASE_SECONDS = 9;
    private static final int WORKERS = 20;
    private static final int QUICK = 50;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** When each dropped task's worker heard that its lease was gone, and what it heard. */
    private static final class Hearing implements TaskListener {
        private final RecordingListener log = new RecordingListener();
        final Map<String, Long> heardAt = new ConcurrentHashMap<>();
        final Map<String, String> heard = new ConcurrentHashMap<>();

        @Override
        public void taken(String workerId, LeasedTask task) {
            log.taken(workerId, task);
        }

        @Override
        public void released(String workerId, LeasedTask task, Released outcome, Duration took) {
            if (outcome.kind() == Released.Kind.DROPPED) {
                heardAt.put(task.id(), System.nanoTime());
                heard.put(task.id(), outcome.detail());
            }
            log.released(workerId, task, outcome, took);
        }

        @Override
        public void trouble(String workerId, String what, Throwable cause) {
            log.trouble(workerId, what, cause);
        }
    }

    /** {@code count} tasks; those from the 51st on run until stopped when {@code slowAfterQuick}. */
    private void createTasks(String group, String channel, int count, int priority, boolean slowAfterQuick) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            tasks.add(Map.of("name", "t" + n, "channel", channel, "priority", priority,
                    "input", Map.of("n", n, "slow", slowAfterQuick && n >= QUICK), "errorDelayInSeconds", 0));
        }
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);
    }

    @Test
    void cancelling_a_group_of_a_thousand_stops_its_running_tasks_and_the_workers_go_on_with_other_work()
            throws Exception {
        String channel = unique("cancelled");
        String doomed = createGroup(unique("doomed"));
        String other = createGroup(unique("other"));
        createTasks(doomed, channel, 1000, 1, true);
        createTasks(other, channel, 400, 0, false);
        AtomicBoolean slow = new AtomicBoolean(true);
        AtomicInteger stoppedSeen = new AtomicInteger();
        Worker worker = new Worker("cancellable", channel) {
            @Override
            public TaskResult execute(JsonNode input, List<Parent> parents) throws Exception {
                if (input.get("slow").asBoolean() && slow.get()) {
                    try {
                        Thread.sleep(TIMEOUT.toMillis());
                    } catch (InterruptedException stopped) {
                        if (TaskContext.isStopped()) {
                            stoppedSeen.incrementAndGet();
                        }
                        throw stopped;
                    }
                }
                return TaskResult.of(input.get("n").asInt());
            }
        };
        Hearing hearing = new Hearing();
        try (WorkerGroup workers = new WorkerGroup(options(base, hearing).withLeaseSeconds(LEASE_SECONDS))) {
            workers.add(worker, WORKERS).start();
            // The first fifty complete; then each of the twenty workers is in the middle of a slow task.
            Await.until("50 tasks done and 20 running", TIMEOUT, () ->
                    sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", doomed) == QUICK
                            && sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'running'",
                                    doomed) == WORKERS);
            long cancelSent = System.nanoTime();
            post("/api/v1/task_group/" + doomed + "/cancel", null).then().statusCode(200);
            long cancelled = System.nanoTime();
            LOG.infof("cancel of 950 tasks answered in %d ms", (cancelled - cancelSent) / 1_000_000);
            assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'running'", doomed));
            Await.until("every running worker heard it", TIMEOUT, () -> hearing.heardAt.size() == WORKERS);
            // Measured from the cancel's answer: it has committed by then.
            long slowest = hearing.heardAt.values().stream().mapToLong(at -> at - cancelled).max().orElseThrow();
            LOG.infof("the %d running workers heard 'cancelled' within %d ms (a third of the lease: %d ms)",
                    WORKERS, slowest / 1_000_000, LEASE_SECONDS * 1000 / 3);
            hearing.heard.values().forEach(detail -> assertTrue(detail.contains("cancelled"), detail));
            assertTrue(slowest <= Duration.ofMillis(LEASE_SECONDS * 1000 / 3).toNanos(),
                    "heard within a third of the lease: " + slowest / 1_000_000 + " ms");
            // The workers go on with the other group's tasks, every one of them.
            Await.until("the other group is complete", TIMEOUT, () -> groupStatus(other).equals("complete"));
            assertEquals(WORKERS, stoppedSeen.get(), "each stopped task saw TaskContext.isStopped() when interrupted");
            assertEquals(WORKERS, sql.count("SELECT count(DISTINCT a.worker_id) FROM finished_attempt a JOIN task t "
                    + "ON t.id = a.task_id WHERE t.group_id = ? AND a.worker_id IN (SELECT c.worker_id FROM "
                    + "finished_attempt c JOIN task d ON d.id = c.task_id WHERE d.group_id = ? "
                    + "AND c.outcome = 'cancelled')", other, doomed),
                    "every worker whose task was cancelled took other work");
            // No task of the cancelled group was leased after the cancel committed.
            assertEquals(0, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                    + "WHERE t.group_id = ? AND a.acquired_at >= (SELECT min(f.finished_at) FROM finished_attempt f "
                    + "JOIN task g ON g.id = f.task_id WHERE g.group_id = ? AND f.outcome = 'cancelled')",
                    doomed, doomed));
            assertEquals(950, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'cancelled'",
                    doomed));
            assertEquals(WORKERS, sql.count("SELECT count(*) FROM finished_attempt a JOIN task t ON t.id = a.task_id "
                    + "WHERE t.group_id = ? AND a.outcome = 'cancelled'", doomed));
            assertEquals("cancelled", groupStatus(doomed));
            Invariants.assertAll(sql);
            // A retry of the group runs it to completion.
            slow.set(false);
            post("/api/v1/task_group/" + doomed + "/retry", Map.of()).then().statusCode(200);
            Await.until("the retried group is complete", TIMEOUT, () -> groupStatus(doomed).equals("complete"));
        }
        Invariants.assertAll(sql);
    }
}
