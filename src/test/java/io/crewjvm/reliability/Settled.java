package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.JavaWorkers;
import io.crewjvm.support.faults.Workload;
import java.time.Duration;

/** How each network scenario ends: the workers finish everything, then the invariants are checked in SQL. */
final class Settled {

    /** The services of these scenarios reclaim expired leases every second. */
    static final Duration SWEEP = Duration.ofSeconds(1);

    private Settled() {
    }

    /**
     * Waits until every task of the channel is complete, stops the workers, and checks that each task was completed
     * once, that no task ran in two workers at the same time, and the invariants.
     */
    static void assertSettled(Sql sql, String channel, Workload load, JavaWorkers workers, Duration within)
            throws InterruptedException {
        load.await(() -> sql.count("SELECT count(*) FROM task WHERE channel = ? AND state <> 'complete'", channel)
                == 0, within, "every task complete");
        workers.close();
        assertEquals(0, workers.overlaps(), "a task ran in two workers at the same time");
        Invariants.assertEveryTaskCompletedOnce(sql, channel);
        Invariants.assertAll(sql, SWEEP);
    }
}
