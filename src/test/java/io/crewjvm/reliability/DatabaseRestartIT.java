package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.Workload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4 of reliability.md: PostgreSQL stops and starts again under load. Readiness goes down and comes back,
 * requests meanwhile get 503 (never another 5xx), the service is not restarted and nothing is lost.
 */
class DatabaseRestartIT {

    @Test
    void a_database_restart_under_load_costs_503s_only_and_the_service_recovers_by_itself() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess service = ServiceProcess.start("database-restart", db.jdbcUrl(),
                     Map.of("CREW_RECLAIM_INTERVAL", "1s"));
             Workload load = new Workload("db-restart", 10)) {
            String group = load.createTasks(service.base(), Sizes.TASKS);
            long pid = service.pid();
            load.start(Sizes.WORKERS, i -> service.base(), i -> i % 2 == 0 ? 1 : 10);
            load.await(() -> load.released() >= Sizes.TASKS / 4, Duration.ofMinutes(5), "a quarter released");

            db.stop();
            service.awaitReadiness(503, Duration.ofSeconds(30));
            long during = load.answers(service.base(), s -> s == 503);
            load.await(() -> load.answers(service.base(), s -> s == 503) > during + 10, Duration.ofSeconds(30),
                    "requests answered 503 during the outage");
            db.startAgain();
            service.awaitReadiness(200, Duration.ofSeconds(60));

            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            load.await(() -> sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group)
                    == Sizes.TASKS, Duration.ofMinutes(10), "every task complete");
            load.close();

            assertTrue(service.isAlive(), "the service kept running");
            assertEquals(pid, service.pid());
            assertEquals(0, load.answers(service.base(), s -> (s >= 500 && s != 503) || s < 0),
                    "503 is the only error: " + load.statuses(service.base()));
            assertEquals(0, sql.count("SELECT count(*) FROM (SELECT task_id FROM finished_attempt GROUP BY task_id "
                    + "HAVING count(*) FILTER (WHERE outcome = 'completed') <> 1) x"),
                    "a task completed other than once");
            Invariants.assertAll(sql, Duration.ofSeconds(1));
            System.out.printf("[reliability] PostgreSQL restart: %d tasks, %d workers, answers %s%n", Sizes.TASKS,
                    Sizes.WORKERS, load.statuses(service.base()));
        }
    }
}
