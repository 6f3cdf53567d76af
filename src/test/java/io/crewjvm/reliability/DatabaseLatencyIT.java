package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.JavaWorkers;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.TcpProxy;
import io.crewjvm.support.faults.Workload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 15 of reliability.md, latency: 100 ms ± 50 ms added to every round trip between the service and
 * PostgreSQL. Everything is slower, and nothing fails: no call of a worker gets an error or a timeout.
 */
class DatabaseLatencyIT {

    private static final String CHANNEL = "database-latency";

    @Test
    void a_slow_link_to_the_database_is_slower_and_costs_no_error() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             TcpProxy proxy = TcpProxy.withLatency(db.port(), Duration.ofMillis(100), Duration.ofMillis(50));
             ServiceProcess service = ServiceProcess.start("database-latency", PostgresServer.jdbcUrl(proxy.port()),
                     Map.of("CREW_RECLAIM_INTERVAL", Settled.SWEEP.toSeconds() + "s"));
             Workload load = new Workload(CHANNEL, 30)) {
            // A fifth of the scenario size: at 100 ms a round trip, the latency is shown by the first hundred tasks.
            int tasks = Sizes.TASKS / 5;
            proxy.delay(true);
            load.createTasks(service.base(), tasks);
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            long start = System.nanoTime();
            try (Probe probe = new Probe(service.uri("api/v1/task_groups"));
                 JavaWorkers workers = new JavaWorkers(service.base(), CHANNEL, Sizes.WORKERS, Duration.ofMillis(10),
                         o -> o.withWaitSeconds(5))) {
                Settled.assertSettled(sql, CHANNEL, load, workers, Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - start) / 1e9;
                probe.close();
                assertEquals(0, workers.troubles(), "a worker's call failed");
                assertEquals(Map.of(200, probe.statuses().get(200)), probe.statuses(), "only 200");
                // A read of the groups is at least one round trip to the database: the latency was there.
                double mean = seconds / probe.statuses().get(200);
                assertTrue(mean >= 0.1, "a request took " + mean + " s on average");
                System.out.printf("[reliability] database latency 100 ms ± 50 ms: %d tasks, %d workers, %.1f s "
                        + "(%.0f tasks/s), 0 failed calls, a read of the groups every %.0f ms on average%n", tasks,
                        Sizes.WORKERS, seconds, tasks / seconds, mean * 1000);
            }
        }
    }
}
