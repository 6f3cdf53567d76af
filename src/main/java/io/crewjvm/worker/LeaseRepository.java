package io.crewjvm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.crewjvm.api.JsonValues;
import io.crewjvm.db.Db;
import io.crewjvm.db.Query.Json;
import io.crewjvm.task.LockedTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import jakarta.enterprise.context.ApplicationScoped;

/** The leases of the worker protocol: taken, kept, ended (each one named statement in {@code sql/worker/}). */
@ApplicationScoped
public class LeaseRepository {

    /** The request number of the acquire statement's rows that name a throttled workgroup rather than a lease. */
    private static final int THROTTLED_ROW = -1;

    private final Db db;
    private final ChannelPaths paths;

    LeaseRepository(Db db) {
        this.db = db;
        this.paths = new ChannelPaths(channel -> db.sql("worker/ChannelHasThrottled").bind("channel", channel)
                .one(rs -> rs.getBoolean(1)).orElse(false));
    }

    /** An acquire request: up to {@code limit} ready tasks of a channel for a worker. */
    record Acquisition(String channel, String workerId, int limit, Integer leaseSeconds) {

        /** A fresh batch rule: requests of the first one's channel, for at most {@code maxTasks} tasks in all. */
        static Predicate<Acquisition> batchOf(int maxTasks) {
            return new Predicate<>() {
                private String channel;
                private int tasks;

                @Override
                public boolean test(Acquisition next) {
                    if (channel == null) {
                        channel = next.channel();
                    }
                    if (!channel.equals(next.channel()) || tasks + next.limit() > maxTasks) {
                        return false;
                    }
                    tasks += next.limit();
                    return true;
                }
            };
        }
    }

    /**
     * A task that an acquire has just leased to a worker, for the given attempt; with its {@code {task, parents}}
     * document when the lease statement built it, else null.
     */
    record Lease(String id, String workerId, int attempt, String document) {
    }

    /**
     * Leases ready tasks of one channel to several requests in one statement; element i holds the leases of
     * request i, in priority order. With {@code documents}, the statement builds each lease's document too.
     * {@code throttled} hears each workgroup whose ready tasks the statement found held by a cap or a budget.
     */
    List<List<Lease>> lease(List<Acquisition> requests, int defaultLease, boolean documents,
                            Consumer<String> throttled) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        List<List<Lease>> leased = new ArrayList<>();
        for (Acquisition request : requests) {
            rows.addObject().put("n", leased.size()).put("worker_id", request.workerId())
                    .put("lim", request.limit()).put("lease_seconds", request.leaseSeconds());
            leased.add(new ArrayList<>());
        }
        String channel = requests.get(0).channel();
        db.sql(paths.throttled(channel) ? "worker/TaskAcquire" : "worker/TaskAcquirePlain").bind("channel", channel)
                .bind("requests", new Json(JsonValues.write(rows))).bind("defaultLeaseSeconds", defaultLease)
                .bind("documents", documents)
                .list(rs -> {
                    int n = rs.getInt(1);
                    if (n == THROTTLED_ROW) {
                        throttled.accept(rs.getString(2));
                        return false;
                    }
                    return leased.get(n).add(
                            new Lease(rs.getString(2), requests.get(n).workerId(), rs.getInt(3), rs.getString(4)));
                });
        return leased;
    }

    /**
     * The {@code {task, parents}} documents of leases, by task id; a lease that does not hold any more (the task
     * was reset or deleted since) has none.
     */
    Map<String, String> documents(Collection<Lease> leases) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (Lease lease : leases) {
            rows.addObject().put("id", lease.id()).put("worker_id", lease.workerId()).put("attempt", lease.attempt());
        }
        Map<String, String> documents = new HashMap<>();
        db.sql("worker/TaskLeasedDocuments").bind("leases", new Json(JsonValues.write(rows)))
                .list(rs -> documents.put(rs.getString(1), rs.getString(2)));
        return documents;
    }

    /** Extends the lease if this worker (and attempt) still holds it; the task JSON, or empty when it does not. */
    java.util.Optional<String> heartbeat(String id, String workerId, Integer attempt, Integer leaseSeconds,
                                         int defaultLease) {
        return db.sql("worker/TaskHeartbeat").bind("id", id).bind("workerId", workerId).bind("attempt", attempt)
                .bind("leaseSeconds", leaseSeconds).bind("defaultLeaseSeconds", defaultLease).text();
    }

    /**
     * How the worker's attempt at a task ended, when it no longer holds it: {@code cancelled}, {@code timed_out}
     * (also an attempt past its deadline that the reclaimer has not ended yet), another attempt outcome, or empty.
     */
    java.util.Optional<String> attemptLost(String id, String workerId, Integer attempt) {
        return db.sql("worker/TaskAttemptLost").bind("id", id).bind("workerId", workerId).bind("attempt", attempt)
                .text();
    }

    int promoteDue(String channel, int limit) {
        return db.sql("worker/TaskPromoteDueInChannel").bind("channel", channel).bind("limit", limit).update();
    }

    /**
     * A release eligible for the one-statement path: a success with nothing but an output; {@code document}: whether
     * the caller wants the completed task's document back.
     */
    record SimpleRelease(String id, String workerId, Integer attempt, JsonNode output, boolean document) {

        /** A fresh batch rule: at most {@code max} releases, each task at most once (a second one waits). */
        static Predicate<SimpleRelease> batchOf(int max) {
            Set<String> ids = new HashSet<>();
            return next -> ids.size() < max && ids.add(next.id());
        }
    }

    /** A simple release that applied: the completed task's document, when it was asked for. */
    record Completion(String document) {
    }

    /**
     * Completes, in one statement, the simple releases that apply (see TaskCompleteSimpleMany.sql); element i is
     * release i's completion, or null when it did not apply: the task is not leased to that worker, or has a
     * duplicate key. The releases name distinct tasks. They go to the statement in id order, the order in which it
     * also locks their children, so that two such statements running at once queue on a shared row instead of
     * deadlocking.
     */
    List<Completion> completeSimple(List<SimpleRelease> releases) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (SimpleRelease release : releases.stream().sorted(Comparator.comparing(SimpleRelease::id)).toList()) {
            rows.addObject().put("id", release.id()).put("worker_id", release.workerId())
                    .put("attempt", release.attempt()).put("document", release.document())
                    .set("output", release.output());
        }
        Map<String, Completion> completed = new HashMap<>();
        db.sql("worker/TaskCompleteSimpleMany").bind("releases", new Json(JsonValues.write(rows)))
                .list(rs -> completed.put(rs.getString(1), new Completion(rs.getString(2))));
        return releases.stream().map(r -> completed.get(r.id())).toList();
    }

    boolean complete(LockedTask task, String output) {
        return db.sql("worker/TaskComplete").bind("id", task.id()).bind("workerId", task.assignedTo())
                .bind("attempt", task.attempt()).bind("output", new Json(output))
                .one(rs -> rs.getInt(1)).orElse(0) == 1;
    }

    /**
     * Records a failed attempt; under a workgroup delay it costs no attempt and the pause replaces the retry delay; a
     * permanent one costs every attempt left.
     */
    String fail(LockedTask task, String error, boolean workgroupDelayed, boolean permanent) {
        return db.sql("worker/TaskFail").bind("id", task.id()).bind("workerId", task.assignedTo())
                .bind("attempt", task.attempt()).bind("error", new Json(error))
                .bind("workgroupDelayed", workgroupDelayed).bind("permanent", permanent)
                .text().orElseThrow(() -> new IllegalStateException("Fenced failure of a locked task " + task.id()));
    }

    /** A duplicate completed by a merge, and whether it had ended before (failed, blocked or cancelled). */
    record Merged(String id, boolean ended) {
    }

    /** Completes the incomplete duplicates of a task with its output. */
    List<Merged> mergeDuplicates(LockedTask task, String output) {
        return db.sql("worker/TaskMergeDuplicates").bind("id", task.id()).bind("channel", task.channel())
                .bind("key", task.key()).bind("output", new Json(output)).bind("workerId", task.assignedTo())
                .list(rs -> new Merged(rs.getString(1), rs.getBoolean(2)));
    }

    /**
     * Frees the children of completed tasks; {@code endedBefore}: those of them that had ended before (merged
     * duplicates), which the children that run when their parents are done no longer counted.
     */
    void releaseChildren(Collection<String> completedParents, Collection<String> endedBefore) {
        db.sql("worker/TaskReleaseChildren").bind("parentIds", completedParents.toArray(String[]::new))
                .bind("endedParentIds", endedBefore.toArray(String[]::new)).update();
    }

    void delayChildren(String parentId, int seconds) {
        db.sql("worker/TaskDelayChildren").bind("id", parentId).bind("seconds", seconds).update();
    }
}
