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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2 of reliability.md: one of two instances is killed with SIGKILL under load, and the workers that used
 * it vanish with the tasks they hold. The other instance reclaims their leases within lease + sweep and finishes
 * everything, without an error of its own.
 */
class KillNineIT {

    private static final int LEASE_SECONDS = 4;
    private static final int SWEEP_SECONDS = 1;

    @Test
    void tasks_of_a_killed_instance_are_reclaimed_within_lease_plus_sweep_and_none_is_lost() throws Exception {
        Map<String, String> env = Map.of("CREW_RECLAIM_INTERVAL", SWEEP_SECONDS + "s");
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess doomed = ServiceProcess.start("kill-nine-doomed", db.jdbcUrl(), env);
             ServiceProcess survivor = ServiceProcess.start("kill-nine-survivor", db.jdbcUrl(), env);
             Workload load = new Workload("kill-nine", LEASE_SECONDS)) {
            String group = load.createTasks(survivor.base(), Sizes.TASKS);
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            URI[] services = {doomed.base(), survivor.base()};
            load.start(Sizes.WORKERS, i -> i % 2 == 0 && !doomed.isAlive() ? null : services[i % 2],
                    i -> (i / 2) % 2 == 0 ? 1 : 10);
            load.await(() -> load.released() >= Sizes.TASKS / 4, Duration.ofMinutes(5), "a quarter released");
            // The workers release what they acquire at once: at the kill they may all be between two calls. This
            // one surely holds leases of the doomed instance when it dies.
            assertTrue(load.acquireAndVanish(doomed.base(), "kill-nine-holder", 5) > 0, "leases held at the kill");
            doomed.kill();

            load.await(() -> sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group)
                    == Sizes.TASKS, Duration.ofMinutes(10), "every task complete");
            load.close();

            assertEquals(0, load.answers(survivor.base(), s -> s >= 500 || s < 0),
                    "the surviving instance never failed: " + load.statuses(survivor.base()));
            long abandoned = sql.count("SELECT count(*) FROM finished_attempt WHERE outcome = 'abandoned'");
            assertTrue(abandoned > 0, "the kill left leases behind");
            assertEquals(0, sql.count("SELECT count(*) FROM finished_attempt WHERE outcome = 'abandoned' "
                    + "AND finished_at > acquired_at + make_interval(secs => ?)", LEASE_SECONDS + SWEEP_SECONDS + 2.0),
                    "an orphaned lease was reclaimed later than lease + sweep (+2 s of scheduling)");
            assertEquals(0, sql.count("SELECT count(*) FROM (SELECT task_id FROM finished_attempt GROUP BY task_id "
                    + "HAVING count(*) FILTER (WHERE outcome = 'completed') <> 1) x"),
                    "a task completed other than once");
            Invariants.assertAll(sql, Duration.ofSeconds(SWEEP_SECONDS));
            System.out.printf("[reliability] kill -9: %d tasks, %d workers, %d leases reclaimed, worst reclaim %s s "
                    + "after acquire (lease %d s + sweep %d s), survivor answers %s%n", Sizes.TASKS, Sizes.WORKERS,
                    abandoned, sql.text("SELECT round(extract(epoch FROM max(finished_at - acquired_at)), 2)::text "
                            + "FROM finished_attempt WHERE outcome = 'abandoned'"), LEASE_SECONDS, SWEEP_SECONDS,
                    load.statuses(survivor.base()));
        }
    }
}
