package io.crewjvm.maintenance;

import io.crewjvm.CrewConfig;
import io.crewjvm.db.Db;
import io.crewjvm.task.TaskGraph;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes groups older than {@code CREW_EXPIRED_GROUP_INTERVAL_IN_DAYS}. A group with a leased task is never
 * deleted (it waits for a later run). Tasks go in chunks of their own short transactions, so a huge group never
 * holds the task table; tasks of other groups that depended on them are recounted.
 */
@ApplicationScoped
public class ExpiredGroupCleaner {

    static final int CHUNK = 2000;
    private static final Logger LOG = Logger.getLogger(ExpiredGroupCleaner.class);

    private final Db db;
    private final TaskGraph graph;
    private final CrewConfig config;

    ExpiredGroupCleaner(Db db, TaskGraph graph, CrewConfig config) {
        this.db = db;
        this.graph = graph;
        this.config = config;
    }

    @Scheduled(every = "${crew.clean-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ExternalCron.class)
    void scheduled() {
        clean(config.cleanBatchSize());
    }

    public boolean enabled() {
        return "yes".equalsIgnoreCase(config.cleanExpiredGroups());
    }

    /** Deletes up to {@code batch} expired groups; returns how many. */
    public int clean(int batch) {
        if (!enabled()) {
            return 0;
        }
        List<String> expired = QuarkusTransaction.requiringNew().call(() -> db.sql("maintenance/GroupFindExpired")
                .bind("days", config.expiredGroupIntervalInDays()).bind("limit", batch).list(rs -> rs.getString(1)));
        expired.forEach(this::delete);
        if (!expired.isEmpty()) {
            LOG.infof("Deleted %d expired task groups", expired.size());
        }
        return expired.size();
    }

    private void delete(String groupId) {
        List<String> survivors = QuarkusTransaction.requiringNew().call(() -> db.sql("group/GroupChildrenOutside")
                .bind("id", groupId).list(rs -> rs.getString(1)));
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> db.sql("maintenance/TaskDeleteGroupChunk")
                    .bind("groupId", groupId).bind("limit", CHUNK).update());
        } while (deleted > 0);
        QuarkusTransaction.requiringNew().run(() -> {
            db.sql("group/GroupDelete").bind("id", groupId).update();
            graph.settle(survivors);
        });
    }
}
