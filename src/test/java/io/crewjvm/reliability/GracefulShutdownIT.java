package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.Workload;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Scenario 11 of reliability.md: SIGTERM under load. Readiness goes down first, the process exits 0 by itself (at
 * the latest once the shutdown delay and the grace period for in-flight requests are over), no request gets a 5xx,
 * and a new instance finishes every task.
 */
class GracefulShutdownIT {

    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void sigterm_under_load_reports_unready_first_and_exits_0_within_the_grace_period_losing_nothing()
            throws Exception {
        Map<String, String> env = Map.of("CREW_SHUTDOWN_DELAY", DELAY.toSeconds() + "s",
                "CREW_SHUTDOWN_TIMEOUT", GRACE.toSeconds() + "s", "CREW_RECLAIM_INTERVAL", "1s");
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess first = ServiceProcess.start("sigterm-first", db.jdbcUrl(), env);
             Workload load = new Workload("sigterm", 3)) {
            String group = load.createTasks(first.base(), Sizes.TASKS);
            AtomicReference<URI> target = new AtomicReference<>(first.base());
            load.start(Sizes.WORKERS, i -> target.get(), i -> i % 2 == 0 ? 1 : 10);
            load.await(() -> load.released() >= Sizes.TASKS / 4, Duration.ofMinutes(5), "a quarter released");

            List<Integer> readiness = new ArrayList<>();
            Thread probe = new Thread(() -> {
                for (int status = 200; status != -1; ) {
                    status = first.readiness();
                    if (readiness.isEmpty() || readiness.get(readiness.size() - 1) != status) {
                        synchronized (readiness) {
                            readiness.add(status);
                        }
                    }
                }
            });
            probe.start();
            long start = System.nanoTime();
            int exit = first.terminate(GRACE.plusSeconds(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            probe.join(10_000);

            assertEquals(0, exit, "exit code");
            // The delay, then at most the grace period for in-flight requests, then the exit itself.
            assertTrue(seconds < DELAY.plus(GRACE).toSeconds() + 2, "exited within delay + grace: " + seconds + " s");
            synchronized (readiness) {
                assertTrue(readiness.indexOf(503) >= 0 && readiness.indexOf(503) < readiness.indexOf(-1),
                        "readiness reported down before the service stopped answering: " + readiness);
            }
            assertEquals(0, load.answers(first.base(), s -> s >= 500), "no 5xx: " + load.statuses(first.base()));

            try (ServiceProcess second = ServiceProcess.start("sigterm-second", db.jdbcUrl(), env)) {
                target.set(second.base());
                Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
                load.await(() -> sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'",
                        group) == Sizes.TASKS, Duration.ofMinutes(10), "every task complete after the restart");
                load.close();
                Invariants.assertAll(sql, Duration.ofSeconds(1));
            }
            System.out.printf("[reliability] SIGTERM: %d tasks, %d workers, exit %d after %.1f s, readiness %s, "
                    + "answers %s%n", Sizes.TASKS, Sizes.WORKERS, exit, seconds, readiness, load.statuses(first.base()));
        }
    }
}
