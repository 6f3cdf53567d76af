package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Await;
import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The JVM worker client while the service crashes (SIGKILL) and comes back on the same port mid-run: every
 * task completes once the service is back, none runs twice at the same time, and each has exactly one
 * completed attempt. Runs the packaged service, so it is an integration test (./mvnw verify).
 */
class ServiceRestartIT {

    private static final int TASKS = 60;
    private static final String CHANNEL = "restart";

    private final Map<String, String> database = new TestDatabase().start();

    @Test
    void workers_ride_out_a_service_crash_and_restart_every_task_completes_once_and_none_runs_twice_at_a_time()
            throws Exception {
        ServiceProcess service = ServiceProcess.start("service-restart", database.get("quarkus.datasource.jdbc.url"),
                Map.of("QUARKUS_DATASOURCE_USERNAME", database.get("quarkus.datasource.username"),
                        "QUARKUS_DATASOURCE_PASSWORD", database.get("quarkus.datasource.password"),
                        "CREW_RECLAIM_INTERVAL", "1s"));
        CrewClient client = new CrewClient(service.base());
        String group = client.post("api/v1/task_groups", Map.of("name", "restart")).path("_id").asText();
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            // A lease longer than the outage, so that the workers' results are still theirs to deliver when the
            // service is back, and short enough that a lease whose acquire answer the crash cut off comes back soon.
            tasks.add(Map.of("name", "t" + i, "channel", CHANNEL, "input", Map.of("i", i), "leaseSeconds", 20,
                    "errorDelayInSeconds", 0));
        }
        client.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks));

        Set<String> executing = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        Worker worker = new Worker("restart", CHANNEL) {
            @Override
            public TaskResult execute(JsonNode input, List<Parent> parents) throws InterruptedException {
                String task = input.toString();
                if (!executing.add(task)) {
                    overlaps.incrementAndGet();
                }
                try {
                    Thread.sleep(150);
                    return TaskResult.of("done");
                } finally {
                    executing.remove(task);
                }
            }
        };
        RecordingListener listener = new RecordingListener();
        WorkerOptions options = WorkerOptions.defaults().withUrl(service.base()).withWaitSeconds(5)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).withListener(listener);
        long completedAtCrash;
        try (WorkerGroup workers = new WorkerGroup(options)) {
            workers.add(worker, 4).start();
            Await.until("a quarter of the tasks is complete", Duration.ofSeconds(60), () -> completed(group) >= TASKS / 4);
            service.kill();
            completedAtCrash = completed(group);
            service = service.restart();
            Await.until("every task is complete after the restart", Duration.ofSeconds(120),
                    () -> completed(group) == TASKS);
        } finally {
            int exit = service.terminate(Duration.ofSeconds(60));
            service.close(); // kills it if SIGTERM did not stop it
            assertEquals(0, exit, "the service stops gracefully within 60 s of SIGTERM");
        }
        assertTrue(completedAtCrash < TASKS, "the crash came mid-run: " + completedAtCrash + " complete");
        assertEquals(0, overlaps.get(), "a task ran twice at the same time");
        assertEquals(0, count("SELECT count(*) FROM task t WHERE t.group_id = ? AND (SELECT count(*) FROM "
                + "task_attempt a WHERE a.task_id = t.id AND a.outcome = 'completed') <> 1", group),
                "every task has exactly one completed attempt");
        assertEquals(0, count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome NOT IN ('completed', 'abandoned')", group),
                "no attempt failed (an acquire whose answer the crash cut off is reclaimed as abandoned)");
    }

    private long completed(String group) {
        return count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group);
    }

    private long count(String sql, String param) {
        try (Connection c = DriverManager.getConnection(database.get("quarkus.datasource.jdbc.url"),
                database.get("quarkus.datasource.username"), database.get("quarkus.datasource.password"));
             PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, param);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
