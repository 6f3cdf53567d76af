package io.crewjvm.task;

import io.crewjvm.api.Paging;
import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Failed (or cancelled) work across groups: a paged view, and a retry of everything a filter takes. */
@ApplicationScoped
public class StoppedTaskService {

    /** Tasks revived per transaction by a bulk retry: each batch commits on its own, row locks stay short. */
    private static final int RETRY_BATCH = 1000;

    private final StoppedTaskRepository stopped;
    private final TaskGraph graph;

    StoppedTaskService(StoppedTaskRepository stopped, TaskGraph graph) {
        this.stopped = stopped;
        this.graph = graph;
    }

    public String list(StoppedTaskFilter filter, Paging paging) {
        return Transactions.autocommitRetrying(() -> stopped.page(filter, paging));
    }

    /**
     * Gives every task the filter takes {@code attempts} again, a batch at a time; how many were revived (with the
     * tasks cancelled along with a cancelled one). A revived task leaves the filter, so each batch takes the next.
     */
    public int retry(StoppedTaskFilter filter, int attempts) {
        int total = 0;
        Batch batch;
        do {
            batch = Transactions.retrying(() -> {
                List<String> ids = stopped.ids(filter, RETRY_BATCH);
                return new Batch(ids.size(), ids.isEmpty() ? 0 : graph.revive(ids, attempts).size());
            });
            total += batch.revived();
        } while (batch.found() == RETRY_BATCH);
        return total;
    }

    /** What one batch of a bulk retry found, and how many of them (and below them) it revived. */
    private record Batch(int found, int revived) {
    }
}
