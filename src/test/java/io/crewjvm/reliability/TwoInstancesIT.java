package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.Workload;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario 1 of reliability.md: many workers, batch sizes 1 and 10, two service instances on one database. */
class TwoInstancesIT {

    @Test
    void every_task_runs_exactly_once_with_no_5xx_and_no_deadlock() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess a = ServiceProcess.start("two-instances-a", db.jdbcUrl(), Map.of());
             ServiceProcess b = ServiceProcess.start("two-instances-b", db.jdbcUrl(), Map.of());
             Workload load = new Workload("two-instances", 60)) {
            URI[] services = {a.base(), b.base()};
            String group = load.createTasks(a.base(), Sizes.TASKS);
            long start = System.nanoTime();
            load.start(Sizes.WORKERS, i -> services[i % 2], i -> (i / 2) % 2 == 0 ? 1 : 10);
            load.await(() -> load.released() >= Sizes.TASKS, Duration.ofMinutes(10), "every task released");
            double seconds = (System.nanoTime() - start) / 1e9;
            load.close();
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");

            for (URI service : services) {
                assertEquals(0, load.answers(service, s -> s >= 500 || s < 0), service + ": " + load.statuses(service));
            }
            assertEquals(Sizes.TASKS, load.executions().size(), "every task was handed out");
            assertEquals(0, load.executions().values().stream().filter(n -> n.get() != 1).count(),
                    "a task was handed out twice");
            assertEquals(Sizes.TASKS, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'",
                    group));
            assertEquals(0, sql.count("SELECT count(*) FROM (SELECT task_id FROM finished_attempt "
                    + "GROUP BY task_id HAVING count(*) <> 1 OR bool_or(outcome <> 'completed')) x"),
                    "an attempt other than one completed execution per task");
            assertEquals(0, sql.count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"));
            Invariants.assertAll(sql, Duration.ofSeconds(5)); // the service's default reclaim interval
            System.out.printf("[reliability] two instances: %d tasks, %d workers, %.1f s, %.0f tasks/s, answers %s %s%n",
                    Sizes.TASKS, Sizes.WORKERS, seconds, Sizes.TASKS / seconds, load.statuses(a.base()),
                    load.statuses(b.base()));
        }
    }
}
