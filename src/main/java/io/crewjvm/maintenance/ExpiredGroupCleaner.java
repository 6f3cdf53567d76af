package io.crewjvm.maintenance;

import io.crewjvm.CrewConfig;
import io.crewjvm.db.Db;
import io.crewjvm.db.Transactions;
import io.crewjvm.task.TaskGraph;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes groups older than {@code CREW_EXPIRED_GROUP_INTERVAL_IN_DAYS} (or {@code CREW_EXPIRED_GROUP_AGE}). A group with a leased task is never
 * deleted mid-flight: it is not picked while a task is leased, a task leased while the cleaner works on its group
 * is never deleted, and the group then stays until a later run finds it idle. Tasks go in chunks, each its own
 * short transaction that also recounts the tasks of other groups that depended on them, so a huge group never
 * holds the task table and a crash between chunks leaves no task waiting for a parent that is gone. Replicas may
 * run it at the same time: chunks skip each other's rows, and each cleaner, once its own chunks of a group have
 * committed, waits for the group's lock and deletes the group if it is empty, so that the last of them to finish
 * deletes it.
 */
@ApplicationScoped
public class ExpiredGroupCleaner {

    static final int CHUNK = 2000;
    private static final Logger LOG = Logger.getLogger(ExpiredGroupCleaner.class);

    /** One chunk deleted: how many tasks, and the tasks of other groups that lost a parent with them. */
    private record Chunk(int deleted, List<String> dependents) {
    }

    private final Db db;
    private final TaskGraph graph;
    private final CrewConfig config;
    private final ExternalCron cron;

    ExpiredGroupCleaner(Db db, TaskGraph graph, CrewConfig config, ExternalCron cron) {
        this.db = db;
        this.graph = graph;
        this.config = config;
        this.cron = cron;
    }

    /**
     * A scheduled run deletes batches of {@code CREW_CLEAN_BATCH_SIZE} groups until no expired group is left, for at
     * most half the interval. One batch per run, as Crew did, deletes at most 20 groups an hour with the defaults
     * (480 a day): a service that creates more groups than that kept every one of the excess for ever, and its tables
     * and indexes grew without end (docs/reliability.md, Soak).
     */
    @Scheduled(every = "${crew.clean-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ExternalCron.class)
    void scheduled() {
        long budget = Math.max(1_000_000_000L, config.cleanInterval().toNanos() / 2);
        cleanUntilDone(config.cleanBatchSize(), System.nanoTime() + budget);
    }

    /** Deletes batches of expired groups until a batch finds fewer than {@code batch}, or the deadline passes. */
    int cleanUntilDone(int batch, long deadlineNanos) {
        int deleted = 0;
        int[] run;
        do {
            run = cleanOnce(batch);
            deleted += run[1];
        } while (run[0] == batch && System.nanoTime() < deadlineNanos && cron.running());
        if (deleted > 0) {
            LOG.infof("Deleted %d expired task groups", deleted);
        }
        return deleted;
    }

    public boolean enabled() {
        return "yes".equalsIgnoreCase(config.cleanExpiredGroups());
    }

    /** Deletes up to {@code batch} expired groups (none when cleaning is switched off); returns how many. */
    public int clean(int batch) {
        int deleted = cleanOnce(batch)[1];
        if (deleted > 0) {
            LOG.infof("Deleted %d expired task groups", deleted);
        }
        return deleted;
    }

    /** One batch: how many expired groups it found (at most {@code batch}) and how many of them it deleted. */
    private int[] cleanOnce(int batch) {
        if (!enabled()) {
            return new int[] {0, 0};
        }
        List<String> expired = Transactions.retrying(() -> db.sql("maintenance/GroupFindExpired")
                .bind("seconds", config.groupRetention().toMillis() / 1000.0).bind("limit", batch)
                .list(rs -> rs.getString(1)));
        int deleted = 0;
        for (String groupId : expired) {
            if (delete(groupId)) {
                deleted++;
            }
        }
        return new int[] {expired.size(), deleted};
    }

    /** Deletes the group's tasks chunk by chunk, then the group if nothing is left of it; true when it went. */
    boolean delete(String groupId) {
        int deleted;
        do {
            deleted = Transactions.retrying(() -> {
                Chunk chunk = db.sql("maintenance/TaskDeleteGroupChunk").bind("groupId", groupId).bind("limit", CHUNK)
                        .one(rs -> new Chunk(rs.getInt(1), List.of((String[]) rs.getArray(2).getArray())))
                        .orElseThrow();
                graph.settle(chunk.dependents());
                return chunk.deleted();
            });
        } while (deleted > 0);
        return Transactions.retrying(() ->
                db.sql("maintenance/GroupLockForDelete").bind("id", groupId).text().isPresent()
                        && db.sql("maintenance/GroupDeleteIfEmpty").bind("id", groupId).update() == 1);
    }
}
