package io.crewjvm.client;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A continuation child of a task, created when the task completes. Without {@link #parentChildIds} the child
 * depends on the task that created it; with them, on the siblings of those {@code _child_id}s (any order in the
 * list; {@code parentChildIds()} with no ids makes an independent root). Fields are Crew's {@code TaskChild}.
 */
public final class Child {

    private final ObjectNode json = Json.object();

    private Child(String name, String channel) {
        json.put("name", name);
        json.put("channel", channel);
    }

    public static Child of(String name, String channel) {
        return new Child(name, channel);
    }

    /** The id siblings use in their {@link #parentChildIds} to depend on this child. */
    public Child childId(int id) {
        json.put("_child_id", id);
        return this;
    }

    /** The siblings (by {@link #childId}) this child waits for, instead of the task that creates it. */
    public Child parentChildIds(int... ids) {
        ArrayNode refs = json.putArray("_parent_ids");
        for (int id : ids) {
            refs.add(id);
        }
        return this;
    }

    public Child input(Object input) {
        json.set("input", Json.tree(input));
        return this;
    }

    /** Duplicates (same key in the same channel) run once and share the output. */
    public Child key(String key) {
        json.put("key", key);
        return this;
    }

    public Child workgroup(String workgroup) {
        json.put("workgroup", workgroup);
        return this;
    }

    public Child runAfter(Instant when) {
        json.put("runAfter", when.toString());
        return this;
    }

    public Child priority(int priority) {
        json.put("priority", priority);
        return this;
    }

    public Child remainingAttempts(int attempts) {
        json.put("remainingAttempts", attempts);
        return this;
    }

    public Child errorDelayInSeconds(int seconds) {
        json.put("errorDelayInSeconds", TaskResult.nonNegative(seconds));
        return this;
    }

    /** Any other field of a task creation ({@code isSeed}, {@code progressWeight}, {@code leaseSeconds}...). */
    public Child set(String field, Object value) {
        json.set(field, Json.tree(value));
        return this;
    }

    /** The child as the release sends it. */
    @JsonValue
    public ObjectNode json() {
        return json.deepCopy();
    }
}
