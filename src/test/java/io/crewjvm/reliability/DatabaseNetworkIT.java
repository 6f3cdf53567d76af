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
 * Scenario 15 of reliability.md: the connections between the service and PostgreSQL are reset every few seconds in
 * the middle of transactions, then frozen without a close (half-open), under load. Requests answer 200 or 503,
 * never hang for the length of the freeze, the pool recovers without a restart, and no session is left idle in
 * a transaction or holding locks. The service runs with its default database timeouts (docs/configuration.md).
 */
class DatabaseNetworkIT {

    private static final String CHANNEL = "database-network";
    private static final int LEASE_SECONDS = 10;
    /** The defaults of the service: socket timeout, connection acquisition timeout, idle in transaction. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(10);
    /** The longest a request may wait for its 503 during the freeze (reliability.md, scenario 15). */
    private static final Duration BOUND = SOCKET_TIMEOUT.plus(ACQUISITION_TIMEOUT).plusSeconds(5);

    @Test
    void resets_and_a_freeze_cost_503s_within_a_bound_and_leave_no_session_in_a_transaction() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             TcpProxy proxy = TcpProxy.to(db.port());
             ServiceProcess service = ServiceProcess.start("database-network", PostgresServer.jdbcUrl(proxy.port()),
                     Map.of("CREW_RECLAIM_INTERVAL", Settled.SWEEP.toSeconds() + "s"));
             Workload load = new Workload(CHANNEL, LEASE_SECONDS);
             JavaWorkers workers = new JavaWorkers(service.base(), CHANNEL, Sizes.WORKERS, Duration.ofMillis(10),
                     o -> o.withLeaseSeconds(LEASE_SECONDS).withWaitSeconds(5));
             Feed feed = new Feed(load, service.base(), 100);
             Probe probe = new Probe(service.uri("api/v1/task_groups"))) {
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres"); // straight to PostgreSQL
            long pid = service.pid();

            proxy.resetEachAfter(Duration.ofSeconds(1), Duration.ofSeconds(5));
            Thread.sleep(Sizes.RESETS.toMillis());
            proxy.resetEachAfter(null, null);
            Map<Integer, Long> duringResets = probe.statuses();
            long resets = proxy.resets();
            assertEquals(0, duringResets.keySet().stream().filter(s -> s != 200 && s != 503).count(),
                    "only 200 and 503 during the resets: " + duringResets);
            service.awaitReadiness(200, Duration.ofSeconds(30));

            probe.reset();
            proxy.freeze();
            Thread.sleep(Sizes.DATABASE_FREEZE.toMillis());
            // Sessions whose transaction the freeze cut off: the server ends them after its idle timeout.
            long stuckInTransaction = sql.count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE "
                    + "'idle in transaction%' AND state_change < now() - make_interval(secs => ?)",
                    IDLE_IN_TRANSACTION.toSeconds() + 3.0);
            Map<Integer, Long> duringFreeze = probe.statuses();
            double slowest = probe.slowest();
            proxy.unfreeze();

            service.awaitReadiness(200, Duration.ofSeconds(60));
            probe.reset();
            load.await(() -> probe.statuses().getOrDefault(200, 0L) >= 5, Duration.ofSeconds(30),
                    "requests answered 200 again");
            feed.close();
            Settled.assertSettled(sql, CHANNEL, load, workers, Duration.ofMinutes(3));
            probe.close();

            assertTrue(resets >= Sizes.RESETS.toSeconds() / 5, "connections were reset: " + resets);
            assertEquals(pid, service.pid(), "the same process throughout");
            assertTrue(duringFreeze.getOrDefault(503, 0L) > 0, "503 during the freeze: " + duringFreeze);
            assertEquals(0, duringFreeze.keySet().stream().filter(s -> s != 200 && s != 503).count(),
                    "every request during the freeze answered, 200 or 503: " + duringFreeze);
            assertTrue(slowest < BOUND.toSeconds(), "the slowest answer came after " + slowest + " s");
            assertEquals(0, stuckInTransaction, "sessions left idle in a transaction by the freeze");
            load.await(() -> sql.count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")
                    + sql.count("SELECT count(*) FROM pg_locks WHERE pid <> pg_backend_pid() "
                            + "AND locktype <> 'virtualxid'") == 0, Duration.ofSeconds(30),
                    "no session idle in a transaction or holding a lock");
            System.out.printf("[reliability] database network: %d s of resets (%d connections reset, answers %s), "
                    + "then a %d s freeze: answers %s, slowest %.1f s (bound %d s), %d sessions left in a "
                    + "transaction; %d tasks complete, %d failed calls retried by the workers%n",
                    Sizes.RESETS.toSeconds(), resets, duringResets, Sizes.DATABASE_FREEZE.toSeconds(), duringFreeze,
                    slowest, BOUND.toSeconds(), stuckInTransaction,
                    sql.count("SELECT count(*) FROM task WHERE channel = ?", CHANNEL), workers.troubles());
        }
    }
}
