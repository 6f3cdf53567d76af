package io.crewjvm.task;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the DAG's derived state right after a change that is not a plain completion: the open-parents counters
 * and the waiting / ready / scheduled / blocked split. Completions take the fast path (TaskReleaseChildren).
 */
@ApplicationScoped
public class TaskGraph {

    private final TaskRepository tasks;

    TaskGraph(TaskRepository tasks) {
        this.tasks = tasks;
    }

    /**
     * Tasks changed (reset, new parents, deleted parents): recount them and their children, then block whatever
     * sits below a failed task.
     */
    public void settle(Collection<String> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Set<String> affected = new LinkedHashSet<>(changed);
        affected.addAll(tasks.childIds(changed));
        tasks.recount(affected);
        List<String> freed = tasks.unblockBelow(affected);
        List<String> candidates = new ArrayList<>(affected);
        candidates.addAll(freed);
        tasks.block(candidates);
    }

    /** Failed tasks got attempts back: they are in line again and what they blocked is waiting again. */
    public List<String> revive(Collection<String> failed, int attempts) {
        List<String> revived = tasks.revive(failed, attempts);
        if (!revived.isEmpty()) {
            tasks.block(tasks.unblockBelow(revived));
        }
        return revived;
    }

    /**
     * Tasks go back to their initial state; everything depending on them is recounted (children that were ready
     * wait again) and blocking is re-derived.
     */
    public void reset(Collection<String> ids, int attempts) {
        if (!ids.isEmpty()) {
            tasks.reset(ids, attempts);
            settle(ids);
        }
    }

    /** A task just failed for good: everything waiting below it is blocked. */
    public void blockBelow(String failedTaskId) {
        tasks.block(tasks.childIds(List.of(failedTaskId)));
    }
}
