package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.JavaWorkers;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.ProcessGauges;
import io.crewjvm.support.faults.TcpProxy;
import io.crewjvm.support.faults.Workload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 14 of reliability.md, half-open: every connection between the workers (the Java client) and the
 * service is frozen without a close, under load, for {@code crew.reliability.worker-freeze-seconds} (30 s in the
 * full profile), then released. The workers' calls time out (the client's request timeout) and are tried again on
 * new connections until the freeze ends; the service keeps answering everyone else meanwhile; its long-polls end by
 * themselves. Afterwards the service holds no more threads, open files or database sessions than before the fault,
 * and every task is complete, once, with no overlapping executions (the invariants in SQL).
 */
class WorkerFreezeIT {

    private static final String CHANNEL = "worker-freeze";
    private static final int LEASE_SECONDS = 5;
    /** The workers' request timeout: an acquire waits for this plus its long-poll, a release for this. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final int WAIT_SECONDS = 2;
    /** Threads, files or sessions above the level before the fault that still count as back to it. */
    private static final long SLACK = 4;
    /** How long the service may take to let go of what the freeze left it, once the workers are done. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    @Test
    void workers_recover_by_themselves_from_a_freeze_and_the_service_keeps_nothing_of_it() throws Exception {
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess service = ServiceProcess.start("worker-freeze", db.jdbcUrl(),
                     // The burst of requests the proxy delivers at the release grows the pool for a while; idle
                     // connections are closed after 5 s instead of 5 minutes, so that the level is seen again soon.
                     Map.of("CREW_RECLAIM_INTERVAL", Settled.SWEEP.toSeconds() + "s",
                             "QUARKUS_DATASOURCE_JDBC_IDLE_REMOVAL_INTERVAL", "5s"));
             TcpProxy proxy = TcpProxy.to(service.base().getPort());
             Workload load = new Workload(CHANNEL, LEASE_SECONDS);
             Feed feed = new Feed(load, service.base(), 50);
             JavaWorkers workers = new JavaWorkers(proxy.url(), CHANNEL, Sizes.WORKERS, Duration.ofMillis(10),
                     o -> o.withLeaseSeconds(LEASE_SECONDS).withWaitSeconds(WAIT_SECONDS)
                             .withRequestTimeout(REQUEST_TIMEOUT))) {
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            load.await(() -> workers.completed() >= 200, Duration.ofMinutes(2), "the workers under way");
            ProcessGauges before = highest(service.pid(), sql);
            String beforeDetails = ProcessGauges.details(service.pid());

            long completedAtFreeze;
            long troublesDuringFreeze;
            Map<Integer, Long> othersDuringFreeze;
            double slowestOther;
            // Someone else, not behind the proxy: the service keeps answering while the workers' connections hang.
            try (Probe others = new Probe(service.uri("api/v1/task_groups"))) {
                load.await(() -> others.statuses().getOrDefault(200, 0L) > 0, Duration.ofSeconds(30),
                        "the probe under way");
                others.reset();
                proxy.freeze();
                completedAtFreeze = workers.completed();
                long troublesAtFreeze = workers.troubles();
                Thread.sleep(Sizes.WORKER_FREEZE.toMillis());
                troublesDuringFreeze = workers.troubles() - troublesAtFreeze;
                othersDuringFreeze = others.statuses();
                slowestOther = others.slowest();
                proxy.unfreeze();
            }
            long frozenCompletions = workers.completed() - completedAtFreeze;

            long unfrozen = System.nanoTime();
            load.await(() -> workers.completed() > completedAtFreeze + frozenCompletions + 100, Duration.ofSeconds(60),
                    "the workers completing tasks again");
            double recoveredAfter = (System.nanoTime() - unfrozen) / 1e9;
            feed.close();
            try {
                Settled.assertSettled(sql, CHANNEL, load, workers, Duration.ofMinutes(3));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; tasks by state " + sql.text("SELECT string_agg(state || ' ' "
                        + "|| n, ', ') FROM (SELECT state, count(*) n FROM task WHERE channel = ? GROUP BY state) s",
                        CHANNEL) + ", "
                        + workers.completed() + " completed by the workers, " + workers.troubles() + " troubles", e);
            }
            // The workers are stopped and their connections closed: what the service still holds is its own.
            ProcessGauges after = ProcessGauges.of(service.pid(), sql);
            for (long giveUp = System.nanoTime() + BACK_WITHIN.toNanos(); !after.backTo(before, SLACK)
                    && System.nanoTime() < giveUp; after = ProcessGauges.of(service.pid(), sql)) {
                Thread.sleep(500);
            }
            double backAfter = (System.nanoTime() - unfrozen) / 1e9;
            assertTrue(after.backTo(before, SLACK), "threads, files and sessions not back to " + before + " (+"
                    + SLACK + ") " + BACK_WITHIN.toSeconds() + " s after the workers settled: " + after + "; "
                    + beforeDetails + " before, " + ProcessGauges.details(service.pid()) + " now");

            System.out.printf("[reliability] worker freeze: %d s, %d workers, %d calls timed out during it "
                    + "(request timeout %d s), others answered %s (slowest %.2f s); completing again %.1f s after "
                    + "it, back to the level before %.1f s after it: %s before, %s after; %d tasks complete, "
                    + "%d leases reclaimed%n", Sizes.WORKER_FREEZE.toSeconds(), Sizes.WORKERS, troublesDuringFreeze,
                    REQUEST_TIMEOUT.toSeconds(), othersDuringFreeze, slowestOther, recoveredAfter, backAfter, before,
                    after, sql.count("SELECT count(*) FROM task WHERE channel = ?", CHANNEL),
                    sql.count("SELECT count(*) FROM finished_attempt WHERE outcome = 'abandoned'"));
            // Each worker's calls time out at least once per request timeout plus long-poll during the freeze.
            assertTrue(troublesDuringFreeze >= Sizes.WORKERS, "the workers' calls timed out during the freeze: "
                    + troublesDuringFreeze);
            assertTrue(othersDuringFreeze.getOrDefault(200, 0L) > 0 && othersDuringFreeze.size() == 1,
                    "the service answered others during the freeze, all 200: " + othersDuringFreeze);
            assertTrue(slowestOther < 5, "others waited up to " + slowestOther + " s during the freeze");
        }
    }

    /** The level before the fault: the highest of a few samples under load, as the gauges move with it. */
    private static ProcessGauges highest(long pid, Sql sql) throws InterruptedException {
        ProcessGauges top = ProcessGauges.of(pid, sql);
        for (int i = 0; i < 4; i++) {
            Thread.sleep(500);
            ProcessGauges g = ProcessGauges.of(pid, sql);
            top = new ProcessGauges(Math.max(top.threads(), g.threads()), Math.max(top.openFiles(), g.openFiles()),
                    Math.max(top.databaseSessions(), g.databaseSessions()));
        }
        return top;
    }
}
