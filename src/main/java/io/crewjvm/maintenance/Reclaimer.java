package io.crewjvm.maintenance;

import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.crewjvm.metrics.CrewMetrics;
import io.crewjvm.task.TaskGraph;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Takes back tasks whose lease ran out on the database clock (their worker died, hung or lost the network): one
 * attempt consumed, the task ready again after its error delay, or failed (and what waited below it blocked).
 * Batches of up to {@value #BATCH}, each its own transaction, SKIP LOCKED: any number of replicas may run it at once and
 * each lease is reclaimed exactly once; a late release or heartbeat from the old holder is refused (409).
 */
@ApplicationScoped
public class Reclaimer {

    static final int BATCH = 1000;
    private static final Logger LOG = Logger.getLogger(Reclaimer.class);

    private record Reclaimed(String id, String state) {
    }

    private final Db db;
    private final TaskGraph graph;
    private final CrewMetrics metrics;

    Reclaimer(Db db, TaskGraph graph, CrewMetrics metrics) {
        this.db = db;
        this.graph = graph;
        this.metrics = metrics;
    }

    @Scheduled(every = "${crew.reclaim-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ExternalCron.class)
    void scheduled() {
        reclaimExpired();
    }

    /**
     * Reclaims every expired lease, batch after batch until one finds nothing; returns how many. A batch short of
     * {@value #BATCH} does not mean none is left: replicas sweeping at once skip each other's locked rows, so each
     * may take a part of the same batch.
     */
    public int reclaimExpired() {
        int total = 0;
        int reclaimed;
        do {
            reclaimed = Transactions.retrying(this::reclaimBatch);
            total += reclaimed;
        } while (reclaimed > 0);
        if (total > 0) {
            metrics.reclaimed(total);
            LOG.infof("Reclaimed %d tasks whose lease expired", total);
        }
        return total;
    }

    private int reclaimBatch() {
        List<Reclaimed> batch = db.sql("maintenance/TaskReclaimExpired").bind("limit", BATCH)
                .list(rs -> new Reclaimed(rs.getString(1), rs.getString(2)));
        batch.stream().filter(r -> r.state().equals("failed")).forEach(r -> graph.blockBelow(r.id()));
        return batch.size();
    }
}
