package io.crewjvm.events;

/**
 * The clients of this replica that follow live events over one transport (Server-Sent Events, socket.io). The
 * {@link EventListener} reads a changed task's document only when some audience wants its group, and hands each
 * event to every audience.
 */
public interface EventAudience {

    /** Whether some client wants events of the group (null: events of no group). */
    boolean wants(String group);

    /** Delivers one event to the clients that want it; data is one JSON document (Crew's payload). */
    void publish(String group, String event, String data);

    /** How many clients follow events now: while any does, this replica asks the triggers to announce changes. */
    int size();
}
