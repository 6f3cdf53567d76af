package io.crewjvm.task;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the DAG's derived state right after a change that is not a plain completion: the open-parents counters
 * and the waiting / ready / scheduled / blocked split, and cancellation. Completions take the fast path
 * (TaskReleaseChildren).
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
        candidates.addAll(tasks.block(candidates));
        settleParentsDone(candidates);
    }

    /**
     * Failed or cancelled tasks got attempts back (with the tasks cancelled along with them): they are in line
     * again and what they blocked is waiting again.
     */
    public List<String> revive(Collection<String> stopped, int attempts) {
        List<String> revived = tasks.revive(stopped, attempts);
        if (!revived.isEmpty()) {
            List<String> changed = new ArrayList<>(revived);
            List<String> freed = tasks.unblockBelow(revived);
            changed.addAll(freed);
            changed.addAll(tasks.block(freed));
            settleParentsDone(changed);
        }
        return revived;
    }

    /** Cancels unfinished tasks and what depends on them (see TaskCancel.sql); the ids cancelled. */
    public List<String> cancel(Collection<String> ids) {
        List<String> cancelled = ids.isEmpty() ? List.of() : tasks.cancel(ids);
        settleParentsDone(cancelled);
        return cancelled;
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

    /**
     * A task just failed for good: everything waiting below it is blocked, and the steps that run when their parents
     * are done count it as ended.
     */
    public void blockBelow(String failedTaskId) {
        List<String> ended = new ArrayList<>(List.of(failedTaskId));
        ended.addAll(tasks.block(tasks.childIds(ended)));
        settleParentsDone(ended);
    }

    /**
     * Tasks ended without completing, or started over: their children that run when their parents are done count
     * open parents anew, and run once none is left.
     */
    private void settleParentsDone(Collection<String> changed) {
        if (!changed.isEmpty()) {
            List<String> children = tasks.parentsDoneChildIds(changed);
            if (!children.isEmpty()) {
                tasks.recount(children);
            }
        }
    }
}
