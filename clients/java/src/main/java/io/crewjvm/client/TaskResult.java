package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a successful execution answers: the output, and optionally continuation children, a delay before they
 * run ({@code childrenDelayInSeconds}) and a pause of the task's workgroup ({@code workgroupDelayInSeconds}).
 * Immutable: each {@code with} method returns a new result.
 */
public final class TaskResult {

    private final JsonNode output;
    private final List<Child> children;
    private final int childrenDelayInSeconds;
    private final int workgroupDelayInSeconds;

    private TaskResult(JsonNode output, List<Child> children, int childrenDelayInSeconds,
                       int workgroupDelayInSeconds) {
        this.output = output;
        this.children = List.copyOf(children);
        this.childrenDelayInSeconds = childrenDelayInSeconds;
        this.workgroupDelayInSeconds = workgroupDelayInSeconds;
    }

    /** A result with this output: a {@link JsonNode}, a map, a record, a string... anything Jackson writes. */
    public static TaskResult of(Object output) {
        return new TaskResult(Json.tree(output), List.of(), 0, 0);
    }

    /** A result with no output (JSON null). */
    public static TaskResult empty() {
        return new TaskResult(NullNode.getInstance(), List.of(), 0, 0);
    }

    public TaskResult withChildren(List<Child> more) {
        List<Child> all = new ArrayList<>(children);
        all.addAll(more);
        return new TaskResult(output, all, childrenDelayInSeconds, workgroupDelayInSeconds);
    }

    public TaskResult withChildren(Child... more) {
        return withChildren(List.of(more));
    }

    /** The children without a {@code runAfter} of their own wait this long before they may run. */
    public TaskResult withChildrenDelay(int seconds) {
        return new TaskResult(output, children, nonNegative(seconds), workgroupDelayInSeconds);
    }

    /** Pauses every task of this task's workgroup for this long (e.g. the API said "slow down"). */
    public TaskResult withWorkgroupDelay(int seconds) {
        return new TaskResult(output, children, childrenDelayInSeconds, nonNegative(seconds));
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

    static int nonNegative(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("A delay cannot be negative: " + seconds);
        }
        return seconds;
    }
}
