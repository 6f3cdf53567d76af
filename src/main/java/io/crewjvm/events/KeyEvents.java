package io.crewjvm.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Crew's events about a keyed task's lease, which crew-ui applies to every task of the group with the same channel
 * and key, built from the task's document: {@code task:acquire:key} while it is leased, {@code task:release:key}
 * once it completed (with its output) or its attempt failed (with that attempt's error). The payloads are Crew's.
 */
final class KeyEvents {

    record KeyEvent(String event, String dedupe, String data) {
    }

    private KeyEvents() {
    }

    /** The event of a keyed task's document; dedupe names what one window sends once (merged duplicates). */
    static KeyEvent of(String document) {
        JsonNode task;
        try {
            task = JsonValues.read(document); // the output and error go on with numbers as written
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.set("channel", task.get("channel"));
        payload.set("key", task.get("key"));
        ObjectNode update = payload.putObject("update");
        String event;
        if (task.hasNonNull("assignedTo")) {
            event = "task:acquire:key";
            update.set("assignedTo", task.get("assignedTo"));
            update.set("assignedAt", task.get("assignedAt"));
        } else {
            event = "task:release:key";
            update.putNull("assignedTo");
            update.putNull("assignedAt");
            if (task.path("isComplete").asBoolean()) {
                update.set("output", task.get("output"));
                update.put("isComplete", true);
                update.putNull("runAfter");
                update.put("remainingAttempts", 0);
            } else {
                JsonNode errors = task.path("errors");
                update.putNull("executeMessageId");
                update.putNull("examineMessageId");
                update.set("error", errors.isArray() && !errors.isEmpty() ? errors.get(errors.size() - 1) : null);
                update.put("isComplete", false);
                update.set("runAfter", task.get("runAfter"));
                update.set("remainingAttempts", task.get("remainingAttempts"));
            }
        }
        return new KeyEvent(event, event + '\u0000' + payload.get("channel") + '\u0000' + payload.get("key"),
                payload.toString());
    }
}
