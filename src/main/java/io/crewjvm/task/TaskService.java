package io.crewjvm.task;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.Paging;
import io.crewjvm.db.AsyncSubmitter;
import io.crewjvm.db.Combiner;
import io.crewjvm.db.Transactions;
import io.crewjvm.db.BlockingThreads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Task CRUD. Every change is one transaction and leaves the DAG counters exact. */
@ApplicationScoped
public class TaskService {

    static final int MAX_BULK = 10_000;
    /** The most tasks a graph read returns: a drawing of more is not readable, and the document stays a few MB. */
    static final int MAX_GRAPH = 50_000;
    static final int DEFAULT_RESET_ATTEMPTS = 2;
    static final int DEFAULT_RETRY_ATTEMPTS = 2;
    /**
     * Creations of single tasks without parents: one statement at a time per instance, which serves every creation
     * that arrived while the one before ran, in any groups (group commit, as for releases). With two lanes most
     * creations found one free and ran alone: 8 creators made 2,448 tasks/s with two, 3,356 with one
     * (bench/CompareServices.java -Dcreate=true, docs/benchmarks.md).
     */
    private static final int CREATE_LANES = 1;
    private static final int MAX_COMBINED_CREATES = 1_000;

    private final TaskRepository tasks;
    private final TaskGraph graph;
    private final AsyncSubmitter<TaskRepository.Creation, String> creations;

    TaskService(TaskRepository tasks, TaskGraph graph) {
        this.tasks = tasks;
        this.graph = graph;
        this.creations = new AsyncSubmitter<>(new Combiner<>((batch, serialPartDone) -> createRoots(batch),
                () -> new Predicate<>() {
                    private int size;

                    @Override
                    public boolean test(TaskRepository.Creation next) {
                        return size++ < MAX_COMBINED_CREATES;
                    }
                }, creation -> null, CREATE_LANES), BlockingThreads.EXECUTOR);
    }

    public static ApiException taskNotFound(String id) {
        return ApiException.notFound("Task with id " + id + " not found!");
    }

    public static ApiException groupNotFound(String id) {
        return ApiException.notFound("TaskGroup with id " + id + " not found!");
    }

    public String get(String id) {
        return tasks.json(id).orElseThrow(() -> taskNotFound(id));
    }

    public String attempts(String id) {
        get(id);
        return tasks.attempts(id);
    }

    public String listInGroup(String groupId, Paging paging) {
        return tasks.listInGroup(groupId, paging);
    }

    public String graphInGroup(String groupId) {
        return tasks.graphInGroup(groupId, MAX_GRAPH).orElseThrow(() -> groupNotFound(groupId));
    }

    public String listInChannel(String channel, Paging paging) {
        return tasks.listInChannel(channel, paging);
    }

    public String channels() {
        return tasks.channels();
    }

    /**
     * Creates one task: its document. A task without parents joins the group commit of single creations with no
     * thread held while it waits; one with parents checks them and is inserted on a worker thread.
     */
    public CompletionStage<String> create(String groupId, NewTask task) {
        if (task.parentIds().isEmpty()) {
            return creations.submit(new TaskRepository.Creation(groupId, task))
                    .thenApply(created -> Optional.ofNullable(created).orElseThrow(() -> groupNotFound(groupId)));
        }
        return CompletableFuture.supplyAsync(() -> createWithParents(groupId, task), BlockingThreads.EXECUTOR);
    }

    private String createWithParents(String groupId, NewTask task) {
        boolean created = Transactions.retrying(() -> {
            requireParentsExist(task.parentIds());
            return tasks.insert(groupId, List.of(task), 0);
        });
        if (!created) {
            throw groupNotFound(groupId);
        }
        return get(task.id());
    }

    /**
     * Tasks without parents, of one or several requests: one statement, committed as it ends (nothing else needs
     * to be atomic with it); the document of each, or null when its group does not exist.
     */
    private List<String> createRoots(List<TaskRepository.Creation> batch) {
        Map<String, String> documents = Transactions.autocommitRetrying(() -> tasks.insertRoots(batch));
        return batch.stream().map(c -> documents.get(c.task().id())).toList();
    }

    /**
     * Creates many tasks in one transaction. Each may name existing parents ({@code parentIds}, any group) and
     * siblings of the same request ({@code _child_id} / {@code _parent_ids}, in any order); cycles and unknown
     * references are 400 and nothing is created. Returns the tasks in request order.
     */
    public String createMany(String groupId, List<NewTask> batch) {
        return Transactions.retrying(() -> {
            Set<String> created = batch.stream().map(NewTask::id).collect(Collectors.toSet());
            requireParentsExist(batch.stream().flatMap(t -> t.parentIds().stream()).filter(p -> !created.contains(p))
                    .distinct().toList());
            if (!tasks.insert(groupId, batch, 0)) {
                throw groupNotFound(groupId);
            }
            return tasks.json(batch.stream().map(NewTask::id).toList());
        });
    }

    /**
     * Locks the existing parents of tasks about to be created, or 400 for one that does not exist. The first
     * statement of its transaction: a {@link ParentStartedMeanwhile} runs the transaction again at little cost.
     */
    private void requireParentsExist(List<String> parentIds) {
        Map<String, TaskState> found = tasks.lockParents(parentIds);
        for (String parent : parentIds) {
            if (!found.containsKey(parent)) {
                throw ApiException.badRequest("Cannot create task with missing parent : " + parent);
            }
        }
    }

    /**
     * PUT /task/:id: the fields sent change, system fields are ignored, so a client may send back the document it
     * read, changed or not. New parents keep the DAG's rules in this one transaction: they must exist and close no
     * cycle, and the task's state follows them (waiting for unfinished ones, blocked under a failed one, ready when
     * none is left open). A running task keeps its lease, so it cannot be given a parent that is not complete (it
     * would have started before it); a complete or failed task keeps its state, and its new parents count when it
     * runs again.
     */
    public String update(TaskPatch patch) {
        return Transactions.retrying(() -> {
            String id = patch.id();
            Map<String, TaskState> parents = patch.setsParents() ? lockParents(id, patch.parentIds()) : Map.of();
            LockedTask task = tasks.lock(id).orElseThrow(() -> taskNotFound(id));
            Integer attempts = patch.remainingAttempts();
            boolean revive = task.state() == TaskState.failed && attempts != null && attempts > 0;
            boolean finished = task.state() == TaskState.failed || task.state() == TaskState.complete;
            if (attempts != null && attempts == 0 && !finished) {
                throw ApiException.badRequest("remainingAttempts must be at least 1 for a task that is not finished");
            }
            if (patch.setsParents()) {
                checkNewParents(task, patch.parentIds(), parents);
            }
            if (task.state() == TaskState.running) {
                String channel = patch.channelAfter(task.channel());
                String key = patch.keyAfter(task.key());
                if (key != null && !(Objects.equals(channel, task.channel()) && key.equals(task.key()))
                        && tasks.keyRunningElsewhere(id, channel, key)) {
                    throw ApiException.conflict("Task " + id + " is running and another task with key " + key
                            + " is running in channel " + channel + ": two executions of one key cannot be in flight");
                }
            }
            tasks.update(patch, !finished);
            if (patch.setsParents()) {
                tasks.replaceParents(id, patch.parentIds());
            }
            if (revive) {
                graph.revive(List.of(id), attempts);
            }
            graph.settle(List.of(id));
            return get(id);
        });
    }

    /**
     * Locks a task's current and requested parents, before the task itself: a release locks the completed task
     * before its children, so a parent's release and this change queue on the parent instead of deadlocking (in id
     * order). A parent cannot complete, fail or be reset until the new edges are committed, and then counts them;
     * a common release that had already started takes the general path (TaskLockParentsForChange). The state of
     * each parent found, by id.
     */
    private Map<String, TaskState> lockParents(String id, List<String> requested) {
        List<String> current = tasks.parentIds(id);
        if (!current.containsAll(requested)) {
            tasks.lockParentsChange();
        }
        Set<String> all = new LinkedHashSet<>(current);
        all.addAll(requested);
        return new HashMap<>(tasks.lockParentsForChange(all));
    }

    /**
     * The requested parents exist and close no cycle; a running task is given no parent that is not complete. Runs
     * with the task locked, so its parents are the ones read here; another change of them committed since they
     * were first read (rare) has its parents locked now.
     */
    private void checkNewParents(LockedTask task, List<String> requested, Map<String, TaskState> parents) {
        for (String parent : requested) {
            if (!parents.containsKey(parent)) {
                throw ApiException.badRequest("Cannot create task with missing parent : " + parent);
            }
        }
        List<String> current = tasks.parentIds(task.id());
        List<String> unlocked = current.stream().filter(p -> !parents.containsKey(p)).toList();
        if (!unlocked.isEmpty()) {
            parents.putAll(tasks.lockParentsForChange(unlocked));
        }
        List<String> added = requested.stream().filter(p -> !current.contains(p)).toList();
        if (added.isEmpty()) {
            return;
        }
        tasks.lockParentsChange(); // already held unless the parents changed since they were first read
        if (tasks.isSelfOrDescendant(task.id(), added)) {
            throw ApiException.badRequest("parentIds would make a cycle: a parent is this task's descendant");
        }
        if (task.state() == TaskState.running) {
            for (String parent : added) {
                if (parents.get(parent) != TaskState.complete) {
                    throw ApiException.conflict("Task " + task.id() + " is running: it cannot be given parent "
                            + parent + ", which is not complete, until it is released (or reset)");
                }
            }
        }
    }

    /** Crew's task reset: the task starts over (default 2 attempts); a lease held by a dead worker is cleared. */
    public String reset(String id, ResetCommand reset) {
        return Transactions.retrying(() -> {
            int attempts = reset.attempts();
            LockedTask task = tasks.lock(id).orElseThrow(() -> taskNotFound(id));
            graph.reset(List.of(id), attempts);
            return get(id);
        });
    }

    /**
     * Crew's task retry: sets the remaining attempts (default 2); a failed or cancelled task is back in line (with
     * the tasks cancelled along with it).
     */
    public String retry(String id, RetryCommand retry) {
        return Transactions.retrying(() -> {
            int attempts = retry.attempts();
            LockedTask task = tasks.lock(id).orElseThrow(() -> taskNotFound(id));
            if (task.state() == TaskState.failed || task.state() == TaskState.cancelled) {
                graph.revive(List.of(id), attempts);
            } else {
                tasks.setAttempts(id, attempts);
            }
            return get(id);
        });
    }

    /**
     * Cancels a task that is not finished, and the unfinished tasks below it: a running attempt loses its lease at
     * once. A finished task is left as it is. The task's document.
     */
    public String cancel(String id) {
        return Transactions.retrying(() -> {
            tasks.lock(id).orElseThrow(() -> taskNotFound(id));
            graph.cancel(List.of(id));
            return get(id);
        });
    }

    /** Deletes a task and everything below it, in any group. */
    public void delete(String id) {
        Transactions.retrying(() -> {
            tasks.lock(id).orElseThrow(() -> taskNotFound(id));
            tasks.delete(tasks.selfAndDescendantIds(id));
        });
    }
}
