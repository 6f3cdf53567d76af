package io.crewjvm.maintenance;

import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes held tasks ready when their time comes (runAfter, error delay, workgroup pause). Batched, SKIP LOCKED:
 * several replicas may run it at once. Acquire also promotes its own channel when it runs short.
 */
@ApplicationScoped
public class Promoter {

    static final int BATCH = 5000;

    private final Db db;

    Promoter(Db db) {
        this.db = db;
    }

    @Scheduled(every = "${crew.promote-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ExternalCron.class)
    void scheduled() {
        promoteDue();
    }

    /** Promotes every due task, batch after batch; returns how many. */
    public int promoteDue() {
        int total = 0;
        int promoted;
        do {
            promoted = Transactions.retrying(() ->
                    db.sql("maintenance/TaskPromoteDue").bind("limit", BATCH).update());
            total += promoted;
        } while (promoted == BATCH);
        return total;
    }
}
