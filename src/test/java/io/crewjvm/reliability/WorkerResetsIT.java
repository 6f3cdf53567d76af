package io.crewjvm.reliability;

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
 * Scenario 14 of reliability.md, resets: every connection between the workers and the service is reset after a
 * random 1-5 s, in the middle of acquires, long-polls and releases, while tasks keep coming. Answers are lost both
 * ways; the workers try again, leases whose answer never arrived are reclaimed, and each task completes once.
 */
class WorkerResetsIT {

    private static final String CHANNEL = "worker-resets";
    private static final int LEASE_SECONDS = 5;

    @Test
    void connections_reset_every_few_seconds_lose_nothing_and_run_nothing_twice_at_once() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess service = ServiceProcess.start("worker-resets", db.jdbcUrl(),
                     Map.of("CREW_RECLAIM_INTERVAL", Settled.SWEEP.toSeconds() + "s"));
             TcpProxy proxy = TcpProxy.to(service.base().getPort());
             Workload load = new Workload(CHANNEL, LEASE_SECONDS);
             JavaWorkers workers = new JavaWorkers(proxy.url(), CHANNEL, Sizes.WORKERS, Duration.ofMillis(10),
                     o -> o.withLeaseSeconds(LEASE_SECONDS).withWaitSeconds(5))) {
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            proxy.resetEachAfter(Duration.ofSeconds(1), Duration.ofSeconds(5));
            int created;
            try (Feed feed = new Feed(load, service.base(), 100)) {
                Thread.sleep(Sizes.RESETS.toMillis());
                feed.close();
                created = feed.created();
            }
            proxy.resetEachAfter(null, null);
            long resets = proxy.resets();

            Settled.assertSettled(sql, CHANNEL, load, workers, Duration.ofMinutes(3));
            // At least one reset per worker connection and window of 5 s, as every connection was reset by then.
            assertTrue(resets >= Sizes.RESETS.toSeconds() / 5, "connections were reset: " + resets);
            assertTrue(workers.troubles() > 0, "the workers saw calls fail");
            System.out.printf("[reliability] worker resets: %d s, %d tasks, %d workers, %d connections reset, "
                    + "%d failed calls retried, %d executions, %d leases reclaimed%n", Sizes.RESETS.toSeconds(),
                    created, Sizes.WORKERS, resets, workers.troubles(),
                    workers.executions().values().stream().mapToInt(n -> n.get()).sum(),
                    sql.count("SELECT count(*) FROM finished_attempt WHERE outcome = 'abandoned'"));
        }
    }
}
