package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.PostgresServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Three instances of the packaged service on one database fire a schedule that fires every second for 60 s: each
 * fire time creates exactly one group, also when one instance is killed with SIGKILL half-way through.
 */
@Execution(ExecutionMode.CONCURRENT) // a minute of waiting for the clock, beside the other ITs (pom: failsafe)
class ScheduleReplicasIT {

    private static final int FIRE_TIMES = 60;

    @Test
    void every_fire_time_creates_exactly_one_group_across_three_replicas_and_a_kill_9() throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(3);
        try (PostgresServer db = PostgresServer.start()) {
            List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
            for (String name : List.of("schedule-a", "schedule-b", "schedule-c")) {
                starting.add(CompletableFuture.supplyAsync(() -> start(name, db.jdbcUrl()), starter));
            }
            List<ServiceProcess> services = starting.stream().map(CompletableFuture::join).toList();
            try {
                Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
                Instant end = start.plusSeconds(FIRE_TIMES - 1);
                Client client = new Client(services.get(0)::uri);
                Client.Reply created = client.post("/api/v1/schedules", Map.of("name", "replicas",
                        "everySeconds", 1, "startAt", start.toString(), "endAt", end.toString(), "catchUp", "all",
                        "template", Map.of("group", Map.of("name", "replicas {fireTime}"),
                                "tasks", List.of(Map.of("name", "tick", "channel", "replicas")))));
                assertEquals(200, created.status(), String.valueOf(created.json()));
                String id = created.json().path("_id").asText();

                sleepUntil(start.plusSeconds(FIRE_TIMES / 2));
                services.get(1).kill();
                sleepUntil(end.plusSeconds(1));
                Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
                // The last fire times are created by the next tick (each second): waited for, up to 30 s, since
                // this test runs beside the other ITs.
                Instant deadline = Instant.now().plusSeconds(30);
                while (sql.count("SELECT count(*) FROM schedule_run WHERE schedule_id = ?", id) < FIRE_TIMES
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                Thread.sleep(2000); // and nothing more after them
                assertEquals(FIRE_TIMES, sql.count("SELECT count(*) FROM schedule_run WHERE schedule_id = ?", id));
                assertEquals(FIRE_TIMES, sql.count("SELECT count(DISTINCT fire_time) FROM schedule_run "
                        + "WHERE schedule_id = ? AND task_group_id IS NOT NULL", id), "one group per fire time");
                assertEquals(FIRE_TIMES, sql.count("SELECT count(*) FROM schedule_run WHERE schedule_id = ? "
                        + "AND fire_time BETWEEN ?::timestamptz AND ?::timestamptz "
                        + "AND date_trunc('second', fire_time) = fire_time", id, start.toString(), end.toString()),
                        "the fire times are the seconds from start to end");
                assertEquals(FIRE_TIMES, sql.count("SELECT count(*) FROM task_group WHERE name LIKE 'replicas %'"),
                        "no group but those recorded");
                assertEquals(FIRE_TIMES, sql.count("SELECT count(*) FROM task WHERE channel = 'replicas'"));
                assertFalse(services.get(1).isAlive());
                System.out.printf("[schedules] three replicas, one killed at %s: %d groups for %d fire times%n",
                        start.plusSeconds(FIRE_TIMES / 2), sql.count("SELECT count(*) FROM task_group"), FIRE_TIMES);
            } finally {
                for (ServiceProcess service : services) {
                    service.close();
                }
            }
        } finally {
            starter.shutdownNow();
        }
    }

    private static ServiceProcess start(String name, String jdbcUrl) {
        try {
            return ServiceProcess.start(name, jdbcUrl, Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long millis = t.toEpochMilli() - System.currentTimeMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
