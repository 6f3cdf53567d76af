package io.crewjvm.events.socketio;

import java.util.HashSet;
import java.util.Set;

/** A socket.io connection of the root namespace and the task groups it watches (its rooms). */
final class Watcher {

    private final EngineSession session;
    private final String id;
    private final Set<String> rooms = new HashSet<>();

    Watcher(EngineSession session, String id) {
        this.session = session;
        this.id = id;
    }

    EngineSession session() {
        return session;
    }

    String id() {
        return id;
    }

    /** Whether this joins the watcher's first room. */
    synchronized boolean joinFirst(String room) {
        return rooms.add(room) && rooms.size() == 1;
    }

    /** Whether this leaves the watcher's last room; false if it was not in it. */
    synchronized boolean leaveLast(String room) {
        return rooms.remove(room) && rooms.isEmpty();
    }

    synchronized boolean watches() {
        return !rooms.isEmpty();
    }

    /** Leaves every room; the rooms it was in. */
    synchronized Set<String> leaveAll() {
        Set<String> left = Set.copyOf(rooms);
        rooms.clear();
        return left;
    }
}
