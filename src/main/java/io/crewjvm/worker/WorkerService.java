package io.crewjvm.worker;

import io.crewjvm.CrewConfig;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.JsonValues;
import io.crewjvm.db.AsyncSubmitter;
import io.crewjvm.db.BlockingSubmitter;
import io.crewjvm.db.Combiner;
import io.crewjvm.db.Transactions;
import io.crewjvm.db.BlockingThreads;
import io.crewjvm.metrics.CrewMetrics;
import io.crewjvm.task.LockedTask;
import io.crewjvm.task.NewTask;
import io.crewjvm.task.TaskGraph;
import io.crewjvm.task.TaskRepository;
import io.crewjvm.task.TaskService;
import io.crewjvm.task.TaskState;
import io.crewjvm.workgroup.BudgetReport;
import io.crewjvm.workgroup.WorkgroupRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Acquire and release for polling workers. Each call is atomic (acquires and common releases may share their
 * statement with others arriving at the same time, see {@link Combiner}) and retried as a whole when it loses a race that a
 * fresh attempt resolves; a release that fails leaves the task leased, so the worker's retry works.
 */
@ApplicationScoped
public class WorkerService {

    private static final int PROMOTE_BATCH = 1000;
    /** The attempt outcomes (attempt_outcome) that a refused heartbeat or release names. */
    private static final String CANCELLED = "cancelled";
    private static final String TIMED_OUT = "timed_out";
    /** Crew's answer to a release by a worker that does not hold the task. */
    private static final String NOT_THE_HOLDER = "Worker id did not match!";
    /**
     * Acquires run at once, each as one statement, one channel at a time; more wait and are served together
     * (group commit).
     */
    private static final int ACQUIRE_LANES = 8;
    private static final int MAX_COMBINED_ACQUIRE = AcquireRequest.MAX_BATCH;
    /**
     * Up to this many tasks, an acquire's lease statement builds their documents itself; a larger one reads them
     * in a second statement once the lease has committed, so that the channel's next acquire does not wait for it.
     */
    private static final int DOCUMENTS_IN_LEASE_MAX = 10;
    /**
     * Common releases, of any tasks: one statement at a time per instance, which serves every release that arrived
     * while the one before ran. A second lane let a release that found it free run alone, one task per statement
     * and commit: with 8 HttpClient workers at batch 1, one lane gave 1,084 against 993 tasks/s and 578 against 674
     * µs of database CPU per task (bench/CompareServices.java, docs/benchmarks.md).
     */
    private static final int RELEASE_LANES = 1;
    private static final int MAX_COMBINED_RELEASES = WorkerBatchResource.MAX_RELEASES;

    private final LeaseRepository leases;
    private final TaskRepository tasks;
    private final TaskGraph graph;
    private final WorkgroupRepository workgroups;
    private final CrewConfig config;
    private final CrewMetrics metrics;
    /** The acquires of threads that wait for them; the same queue and batches as {@link #asyncAcquisitions}. */
    private final BlockingSubmitter<LeaseRepository.Acquisition, List<String>> acquisitions;
    private final AsyncSubmitter<LeaseRepository.Acquisition, List<String>> asyncAcquisitions;
    private final AsyncSubmitter<LeaseRepository.SimpleRelease, LeaseRepository.Completion> simpleReleases;

    WorkerService(LeaseRepository leases, TaskRepository tasks, TaskGraph graph,
                  WorkgroupRepository workgroups, CrewConfig config, CrewMetrics metrics) {
        this.leases = leases;
        this.tasks = tasks;
        this.graph = graph;
        this.workgroups = workgroups;
        this.config = config;
        this.metrics = metrics;
        Combiner<LeaseRepository.Acquisition, List<String>> acquires = new Combiner<>(this::acquireMany,
                () -> LeaseRepository.Acquisition.batchOf(MAX_COMBINED_ACQUIRE), LeaseRepository.Acquisition::channel,
                ACQUIRE_LANES);
        this.acquisitions = new BlockingSubmitter<>(acquires);
        this.asyncAcquisitions = new AsyncSubmitter<>(acquires, BlockingThreads.EXECUTOR);
        this.simpleReleases = new AsyncSubmitter<>(new Combiner<>(
                (releases, serialPartDone) -> completeSimple(releases),
                () -> LeaseRepository.SimpleRelease.batchOf(MAX_COMBINED_RELEASES), release -> null, RELEASE_LANES),
                BlockingThreads.EXECUTOR);
    }

    /** Leases up to {@code limit} tasks of a channel; each element is a {@code {task, parents}} document. */
    public List<String> acquire(String channel, String workerId, int limit, Integer leaseSeconds) {
        return metrics.timeAcquire(() -> topUp(channel, workerId, limit, leaseSeconds,
                acquisitions.submit(new LeaseRepository.Acquisition(channel, workerId, limit, leaseSeconds))));
    }

    /** As {@link #acquire}, with no thread held while the statement waits for its turn and runs. */
    public CompletionStage<List<String>> acquireAsync(String channel, String workerId, int limit,
                                                      Integer leaseSeconds) {
        return metrics.timeAcquireAsync(() -> asyncAcquisitions.submit(
                        new LeaseRepository.Acquisition(channel, workerId, limit, leaseSeconds))
                .thenCompose(leased -> leased.size() < limit
                        ? CompletableFuture.supplyAsync(
                                () -> topUp(channel, workerId, limit, leaseSeconds, leased), BlockingThreads.EXECUTOR)
                        : CompletableFuture.completedFuture(leased)));
    }

    /**
     * Held tasks whose time has come are promoted in the background; when the channel ran short, it is done now,
     * and acquired from again, so that a runAfter in the past is honoured to the millisecond.
     */
    private List<String> topUp(String channel, String workerId, int limit, Integer leaseSeconds,
                               List<String> leased) {
        if (leased.size() < limit
                && Transactions.autocommitRetrying(() -> leases.promoteDue(channel, PROMOTE_BATCH)) > 0) {
            List<String> more = new ArrayList<>(leased);
            more.addAll(acquisitions.submit(
                    new LeaseRepository.Acquisition(channel, workerId, limit - leased.size(), leaseSeconds)));
            return more;
        }
        return leased;
    }

    /**
     * Acquires of one channel: one statement leases their tasks, and for a small acquire builds their documents
     * too. Once a large acquire's lease has committed, the channel's next acquire may start while a second
     * statement reads the documents.
     */
    private List<List<String>> acquireMany(List<LeaseRepository.Acquisition> requests, Runnable leased) {
        boolean documentsInLease = requests.stream().mapToInt(LeaseRepository.Acquisition::limit).sum()
                <= DOCUMENTS_IN_LEASE_MAX;
        List<List<LeaseRepository.Lease>> taken = Transactions.autocommitRetrying(
                () -> leases.lease(requests, config.abandonedTaskIntervalInSeconds(), documentsInLease,
                        metrics::throttled));
        leased.run();
        List<LeaseRepository.Lease> all = taken.stream().flatMap(List::stream).toList();
        Map<String, String> documents = documentsInLease || all.isEmpty() ? Map.of()
                : Transactions.autocommitRetrying(() -> leases.documents(all));
        Function<LeaseRepository.Lease, String> document = documentsInLease ? LeaseRepository.Lease::document
                : lease -> documents.get(lease.id());
        return taken.stream().map(mine -> mine.stream().map(document).filter(Objects::nonNull).toList()).toList();
    }

    /**
     * Extends the lease of a task the worker holds, from the database clock. 409 when it does not hold it any
     * more (the lease was reclaimed, the task reset or cancelled, the attempt timed out): the worker should stop
     * working on it.
     */
    public String heartbeat(String id, Heartbeat heartbeat) {
        return leases.heartbeat(id, heartbeat.workerId(), heartbeat.attempt(), heartbeat.leaseSeconds(),
                        config.abandonedTaskIntervalInSeconds())
                .orElseThrow(() -> tasks.json(id).isPresent()
                        ? leaseLost(id, heartbeat.workerId(), heartbeat.attempt(),
                                "Task " + id + " is not leased to worker " + heartbeat.workerId())
                        : TaskService.taskNotFound(id));
    }

    /**
     * The 409 for a worker that no longer holds a task: it says when the task was cancelled or the attempt timed
     * out (the worker stops the task and drops its result), else {@code otherwise}.
     */
    private ApiException leaseLost(String id, String workerId, Integer attempt, String otherwise) {
        String outcome = Transactions.autocommitRetrying(() -> leases.attemptLost(id, workerId, attempt)).orElse("");
        return switch (outcome) {
            case CANCELLED -> ApiException.conflict("Task " + id + " was cancelled: its attempt by worker " + workerId
                    + " ended");
            case TIMED_OUT -> ApiException.conflict("Task " + id + " timed out: its attempt by worker " + workerId
                    + " ran longer than its timeoutSeconds");
            default -> ApiException.conflict(otherwise);
        };
    }

    /**
     * What one release of a batch came to: a success (with the task's document when asked for), or the error it
     * would have answered alone.
     */
    public record Outcome(String task, ApiException error) {
    }

    /**
     * Releases a task: its document. A simple success joins the group commit with no thread held while it waits;
     * any other release, or one that the common statement did not apply, runs alone on a worker thread.
     */
    public CompletionStage<String> release(String id, Release release) {
        return metrics.timeReleaseAsync(() -> releaseOne(id, release));
    }

    private CompletionStage<String> releaseOne(String id, Release release) {
        CompletionStage<LeaseRepository.Completion> common = release.isSimpleSuccess()
                ? simpleReleases.submit(simple(id, release, true))
                : CompletableFuture.completedFuture(null);
        return common.thenCompose(done -> done != null
                ? CompletableFuture.completedFuture(done.document())
                : CompletableFuture.supplyAsync(() -> releaseAlone(id, release), BlockingThreads.EXECUTOR));
    }

    /**
     * Releases many tasks, each fenced and atomic on its own, with the outcome each would have had alone (element
     * i answers element i). The simple successes of the batch complete together in one statement; the others,
     * and a task named twice, take the general path one by one. Without {@code documents}, the successes of the
     * common path come without the task's document, which spares the database a good part of their cost.
     */
    public CompletionStage<List<Outcome>> releaseAll(List<ReleaseRequests.BatchItem> batch, boolean documents) {
        return metrics.timeReleaseAsync(() -> releaseBatch(batch, documents));
    }

    private CompletionStage<List<Outcome>> releaseBatch(List<ReleaseRequests.BatchItem> batch, boolean documents) {
        Outcome[] outcomes = new Outcome[batch.size()];
        String[] ids = new String[batch.size()];
        Release[] releases = new Release[batch.size()];
        Map<String, Release> simple = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            ReleaseRequests.BatchItem item = batch.get(i);
            ids[i] = item.taskId();
            releases[i] = item.release();
            if (item.invalid() != null) {
                outcomes[i] = new Outcome(null, item.invalid());
            } else if (releases[i].isSimpleSuccess()) {
                simple.putIfAbsent(ids[i], releases[i]);
            }
        }
        List<String> simpleIds = new ArrayList<>(simple.keySet());
        CompletionStage<List<LeaseRepository.Completion>> common = simpleReleases.submitAll(
                simpleIds.stream().map(id -> simple(id, simple.get(id), documents)).toList());
        return common.thenCompose(completions -> {
            Map<String, LeaseRepository.Completion> completed = new HashMap<>();
            for (int i = 0; i < simpleIds.size(); i++) {
                completed.put(simpleIds.get(i), completions.get(i));
            }
            for (int i = 0; i < batch.size(); i++) {
                LeaseRepository.Completion done = completed.get(ids[i]);
                if (outcomes[i] == null && done != null && simple.get(ids[i]) == releases[i]) {
                    outcomes[i] = new Outcome(done.document(), null);
                }
            }
            if (Arrays.stream(outcomes).allMatch(Objects::nonNull)) {
                return CompletableFuture.completedFuture(List.of(outcomes));
            }
            return CompletableFuture.supplyAsync(() -> releaseRest(outcomes, ids, releases, documents), BlockingThreads.EXECUTOR);
        });
    }

    /** The releases of a batch that the common statement did not settle, each alone; the outcomes of all. */
    private List<Outcome> releaseRest(Outcome[] outcomes, String[] ids, Release[] releases, boolean documents) {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] != null) {
                continue;
            }
            try {
                String task = releaseAlone(ids[i], releases[i]);
                outcomes[i] = new Outcome(documents ? task : null, null);
            } catch (ApiException e) {
                outcomes[i] = new Outcome(null, e);
            }
        }
        return List.of(outcomes);
    }

    private static LeaseRepository.SimpleRelease simple(String id, Release release, boolean document) {
        return new LeaseRepository.SimpleRelease(id, release.workerId(), release.attempt(), release.output(),
                document);
    }

    /** Common releases in one statement, committed as it ends, which keeps the children's row locks short. */
    private List<LeaseRepository.Completion> completeSimple(List<LeaseRepository.SimpleRelease> batch) {
        return Transactions.autocommitRetrying(() -> leases.completeSimple(batch));
    }

    /** Any release, in one transaction of its own: the task locked, then completed, failed or delayed. */
    private String releaseAlone(String id, Release release) {
        List<NewTask> children = release.children();
        return Transactions.retrying(() -> {
            LockedTask task = tasks.lock(id).orElseThrow(() -> TaskService.taskNotFound(id));
            if (task.state() == TaskState.complete) {
                return tasks.json(id).orElseThrow();
            }
            if (!task.isLeasedTo(release.workerId(), release.attempt()) || task.overdue()) {
                throw leaseLost(id, release.workerId(), release.attempt(), NOT_THE_HOLDER);
            }
            boolean workgroupDelay = (release.workgroupDelayInSeconds() > 0 || release.reportsBudgetSpent())
                    && task.workgroup() != null;
            if (release.workgroupDelayInSeconds() > 0 && task.workgroup() != null) {
                workgroups.hold(task.workgroup(), release.workgroupDelayInSeconds(),
                        "workgroupDelayInSeconds from a release of task " + id);
            }
            if (release.workgroupBudget() != null && task.workgroup() != null) {
                reportBudget(task.workgroup(), release.workgroupBudget(), id);
            }
            if (release.failed()) {
                fail(task, release, workgroupDelay);
            } else {
                succeed(task, release, children);
            }
            return tasks.json(id).orElseThrow();
        });
    }

    /**
     * Lowers the workgroup's budget to what the API reported. A workgroup without caps or budget has no bucket that
     * acquire reads: an empty report pauses it until the reset instead.
     */
    private void reportBudget(String workgroup, BudgetReport report, String taskId) {
        if (!workgroups.reportBudget(workgroup, report) && report.remaining() < 1 && report.resetInSeconds() > 0) {
            workgroups.hold(workgroup, report.resetInSeconds(),
                    "workgroupBudget from a release of task " + taskId + ": none left");
        }
    }

    private void fail(LockedTask task, Release release, boolean workgroupDelay) {
        String state = leases.fail(task, JsonValues.write(release.error()), workgroupDelay, release.permanent());
        if (TaskState.valueOf(state) == TaskState.failed) {
            graph.blockBelow(task.id());
        }
    }

    /** Completes the task and its duplicates, frees their children and creates the new ones. */
    private void succeed(LockedTask task, Release release, List<NewTask> children) {
        String output = JsonValues.write(release.output());
        if (!leases.complete(task, output)) {
            throw new IllegalStateException("Fenced completion of a locked task " + task.id() + " failed");
        }
        if (release.childrenDelayInSeconds() > 0) {
            leases.delayChildren(task.id(), release.childrenDelayInSeconds());
        }
        List<String> completed = new ArrayList<>(List.of(task.id()));
        List<LeaseRepository.Merged> twins = task.key() == null ? List.of() : leases.mergeDuplicates(task, output);
        List<String> merged = twins.stream().map(LeaseRepository.Merged::id).toList();
        completed.addAll(merged);
        leases.releaseChildren(completed,
                twins.stream().filter(LeaseRepository.Merged::ended).map(LeaseRepository.Merged::id).toList());
        if (!merged.isEmpty()) {
            // A merged duplicate may have been failed or blocked: what waited below it is free to go again.
            tasks.block(tasks.unblockBelow(merged));
        }
        if (!children.isEmpty()) {
            tasks.insert(task.groupId(), children, release.childrenDelayInSeconds());
        }
    }
}
