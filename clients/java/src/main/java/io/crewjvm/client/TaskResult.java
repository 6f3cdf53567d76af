package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a successful execution answers: the output, and optionally continuation children, a delay before they
 * run ({@code childrenDelayInSeconds}), a pause of the task's workgroup ({@code workgroupDelayInSeconds}) and the
 * API's own view of the workgroup's budget ({@link WorkgroupBudget}).
 * Immutable: each {@code with} method returns a new result.
 */
public final class TaskResult {

    private final JsonNode output;
    private final List<Child> children;
    private final int childrenDelayInSeconds;
    private final int workgroupDelayInSeconds;
    private final WorkgroupBudget workgroupBudget;

    private TaskResult(JsonNode output, List<Child> children, int childrenDelayInSeconds,
                       int workgroupDelayInSeconds, WorkgroupBudget workgroupBudget) {
        this.output = output;
        this.children = List.copyOf(children);
        this.childrenDelayInSeconds = childrenDelayInSeconds;
        this.workgroupDelayInSeconds = workgroupDelayInSeconds;
        this.workgroupBudget = workgroupBudget;
    }

    /** A result with this output: a {@link JsonNode}, a map, a record, a string... anything Jackson writes. */
    public static TaskResult of(Object output) {
        return new TaskResult(Json.tree(output), List.of(), 0, 0, null);
    }

    /** A result with no output (JSON null). */
    public static TaskResult empty() {
        return new TaskResult(NullNode.getInstance(), List.of(), 0, 0, null);
    }

    public TaskResult withChildren(List<Child> more) {
        List<Child> all = new ArrayList<>(children);
        all.addAll(more);
        return new TaskResult(output, all, childrenDelayInSeconds, workgroupDelayInSeconds, workgroupBudget);
    }

    public TaskResult withChildren(Child... more) {
        return withChildren(List.of(more));
    }

    /** The children without a {@code runAfter} of their own wait this long before they may run. */
    public TaskResult withChildrenDelay(int seconds) {
        return new TaskResult(output, children, nonNegative(seconds), workgroupDelayInSeconds, workgroupBudget);
    }

    /** Pauses every task of this task's workgroup for this long (e.g. the API said "slow down"). */
    public TaskResult withWorkgroupDelay(int seconds) {
        return new TaskResult(output, children, childrenDelayInSeconds, nonNegative(seconds), workgroupBudget);
    }

    /** Reports what the API said is left of the workgroup's budget (see {@link WorkgroupBudget}). */
    public TaskResult withWorkgroupBudget(double remaining, int resetInSeconds) {
        return new TaskResult(output, children, childrenDelayInSeconds, workgroupDelayInSeconds,
                new WorkgroupBudget(remaining, resetInSeconds));
    }

    public JsonNode output() {
        return output;
    }

    public List<Child> children() {
        return children;
    }

    public int childrenDelayInSeconds() {
        return childrenDelayInSeconds;
    }

    public int workgroupDelayInSeconds() {
        return workgroupDelayInSeconds;
    }

    /** The reported budget, or null. */
    public WorkgroupBudget workgroupBudget() {
        return workgroupBudget;
    }

    static int nonNegative(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("A delay cannot be negative: " + seconds);
        }
        return seconds;
    }
}
