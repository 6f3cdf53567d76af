package io.crewjvm.schedule;

import io.crewjvm.db.Transactions;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Fires due schedules, driven by the Quarkus scheduler on every replica: batches of {@value #BATCH} schedules, each
 * batch one transaction that locks them with SKIP LOCKED, so replicas share the due schedules and none fires a fire
 * time another has fired. Nothing due costs one indexed statement.
 */
@ApplicationScoped
public class ScheduleTick {

    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(ScheduleTick.class);

    private final Firing firing;

    ScheduleTick(Firing firing) {
        this.firing = firing;
    }

    @Scheduled(every = "${crew.schedule-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            fireDue();
        } catch (RuntimeException e) {
            // The schedules of the failed batch stay due: the next tick tries them again.
            LOG.error("Firing due schedules failed", e);
        }
    }

    /** Fires every due schedule, batch after batch; returns how many schedules fired. */
    public int fireDue() {
        int total = 0;
        int fired;
        do {
            fired = Transactions.retrying(() -> firing.fireDue(BATCH));
            total += fired;
        } while (fired == BATCH);
        return total;
    }
}
