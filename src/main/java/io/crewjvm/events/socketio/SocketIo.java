package io.crewjvm.events.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.api.Ids;
import io.crewjvm.auth.Role;
import io.crewjvm.auth.Tokens;
import io.crewjvm.events.EventAudience;
import io.crewjvm.events.EventPresence;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * socket.io 4 with Crew's semantics: {@code watchTaskGroup {taskGroupId}} joins the group's room,
 * {@code unwatchTaskGroup} leaves it, and a room receives Crew's events of its group with Crew's payloads (the same
 * events as the SSE streams, from every replica's changes). Only the root namespace exists. A watch or unwatch sent
 * with an acknowledgement is answered once it holds, with no argument, or with {@code {message}} when it was
 * refused (Crew never answers; its clients send none). With authentication on, a connection presents an admin
 * token (socket.io's {@code auth: {token}}, an Authorization header or a {@code token} query parameter of its
 * handshake) or is refused with a CONNECT_ERROR that says why.
 */
@ApplicationScoped
public class SocketIo implements SessionHandler, EventAudience {

    private static final Logger LOG = Logger.getLogger(SocketIo.class);
    private static final String BEARER = "Bearer ";
    private static final String WORKGROUP_DELAY = "workgroup:delay";

    private final Map<EngineSession, Watcher> sockets = new ConcurrentHashMap<>();
    private final Map<String, Set<Watcher>> rooms = new ConcurrentHashMap<>();
    /** Sockets in at least one room: the clients this audience counts. */
    private final AtomicInteger watching = new AtomicInteger();
    private final EventPresence presence;
    private final Tokens tokens;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    SocketIo(EventPresence presence, Tokens tokens, ObjectMapper mapper, Vertx vertx) {
        this.presence = presence;
        this.tokens = tokens;
        this.mapper = mapper;
        this.vertx = vertx;
        presence.countClientsOf(this::size);
    }

    @Override
    public int size() {
        return watching.get();
    }

    /** Events of no group: a workgroup's pause concerns tasks of every group, so every watcher hears it. */
    @Override
    public boolean wants(String group) {
        return group == null ? watching.get() > 0 : rooms.containsKey(group);
    }

    @Override
    public void publish(String group, String event, String data) {
        String message = "4" + new SocketIoPacket(SocketIoPacket.EVENT, SocketIoPacket.ROOT, null,
                "[" + Json.encode(event) + "," + data + "]").encode();
        if (group == null) {
            if (WORKGROUP_DELAY.equals(event)) {
                sockets.values().stream().filter(Watcher::watches).forEach(w -> w.session().send(message));
            }
            return;
        }
        Set<Watcher> room = rooms.get(group);
        if (room != null) {
            room.forEach(watcher -> watcher.session().send(message));
        }
    }

    @Override
    public void message(EngineSession session, String data) {
        SocketIoPacket packet;
        try {
            packet = SocketIoPacket.parse(data);
        } catch (IllegalArgumentException e) {
            session.close(); // not socket.io: as socket.io's own server, the connection ends
            return;
        }
        if (!SocketIoPacket.ROOT.equals(packet.namespace())) {
            if (packet.type() == SocketIoPacket.CONNECT) {
                send(session, SocketIoPacket.CONNECT_ERROR, packet.namespace(), null, error("Invalid namespace"));
            }
            return;
        }
        switch (packet.type()) {
            case SocketIoPacket.CONNECT -> connect(session, packet.data());
            case SocketIoPacket.DISCONNECT -> leaveAll(sockets.remove(session));
            case SocketIoPacket.EVENT -> event(session, packet);
            default -> { // acknowledgements of events we never ask for
            }
        }
    }

    @Override
    public void closed(EngineSession session) {
        leaveAll(sockets.remove(session));
    }

    private void connect(EngineSession session, String auth) {
        String refusal = refusal(session, auth);
        if (refusal != null) {
            send(session, SocketIoPacket.CONNECT_ERROR, SocketIoPacket.ROOT, null, error(refusal));
            return;
        }
        Watcher watcher = sockets.computeIfAbsent(session, s -> new Watcher(s, EngineIo.newId()));
        send(session, SocketIoPacket.CONNECT, SocketIoPacket.ROOT, null,
                new JsonObject().put("sid", watcher.id()).encode());
    }

    /** Why a connection is refused, or null when it may watch. */
    private String refusal(EngineSession session, String auth) {
        if (!tokens.enabled()) {
            return null;
        }
        String token;
        try {
            token = presented(session, auth.isEmpty() ? null : mapper.readTree(auth));
        } catch (JsonProcessingException e) {
            return "Malformed auth payload: send an object such as {\"token\": \"...\"}";
        }
        if (token == null || token.isBlank()) {
            return "Authentication required: present an admin token as socket.io's auth {\"token\": \"...\"}, "
                    + "an Authorization: Bearer header or a token query parameter";
        }
        Role role = tokens.roleOf(token);
        if (role == null) {
            return "Unknown token";
        }
        return role == Role.ADMIN ? null : "Forbidden: watching task groups needs an admin token";
    }

    private static String presented(EngineSession session, JsonNode auth) {
        if (auth != null && auth.path("token").isTextual()) {
            return withoutScheme(auth.get("token").asText());
        }
        String header = session.handshake().authorization();
        if (header != null) {
            return withoutScheme(header); // other schemes (Basic) stay as they are: no token reads "Basic ..."
        }
        return session.handshake().tokenParameter();
    }

    private static String withoutScheme(String token) {
        return token.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? token.substring(BEARER.length()) : token;
    }

    private void event(EngineSession session, SocketIoPacket packet) {
        Watcher watcher = sockets.get(session);
        if (watcher == null) {
            return; // an event before CONNECT, or after DISCONNECT: socket.io drops it
        }
        JsonNode args;
        try {
            args = mapper.readTree(packet.data());
        } catch (JsonProcessingException e) {
            session.close();
            return;
        }
        String name = args.path(0).asText();
        if (!"watchTaskGroup".equals(name) && !"unwatchTaskGroup".equals(name)) {
            return; // Crew's server listens to these two only
        }
        String id = args.path(1).path("taskGroupId").asText(null);
        if (!Ids.isValid(id)) {
            ack(session, packet.ackId(), error("taskGroupId must be a 24-character hex task group id"));
            return;
        }
        String group = Ids.parse(id, "task group id");
        if ("watchTaskGroup".equals(name)) {
            join(watcher, group, packet.ackId());
        } else {
            leave(watcher, group);
            ack(session, packet.ackId(), null);
        }
    }

    private void join(Watcher watcher, String group, Long ackId) {
        boolean first = watcher.joinFirst(group);
        rooms.compute(group, (g, room) -> {
            Set<Watcher> members = room == null ? ConcurrentHashMap.newKeySet() : room;
            members.add(watcher);
            return members;
        });
        if (!first) {
            ack(watcher.session(), ackId, null);
            return;
        }
        watching.incrementAndGet(); // counted before the presence row is asked for (EventPresence)
        vertx.executeBlocking(() -> {
            presence.present();
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                LOG.warnf("Events for a socket.io watcher may be late: %s", done.cause().getMessage());
            }
            ack(watcher.session(), ackId, done.failed() ? error("Events are unavailable for now; try again") : null);
        });
    }

    private void leave(Watcher watcher, String group) {
        rooms.computeIfPresent(group, (g, room) -> {
            room.remove(watcher);
            return room.isEmpty() ? null : room;
        });
        if (watcher.leaveLast(group)) {
            stoppedWatching();
        }
    }

    private void leaveAll(Watcher watcher) {
        if (watcher == null) {
            return;
        }
        Set<String> left = watcher.leaveAll();
        left.forEach(group -> rooms.computeIfPresent(group, (g, room) -> {
            room.remove(watcher);
            return room.isEmpty() ? null : room;
        }));
        if (!left.isEmpty()) {
            stoppedWatching();
        }
    }

    private void stoppedWatching() {
        if (watching.decrementAndGet() == 0) {
            vertx.executeBlocking(() -> {
                presence.goneIfIdle();
                return null;
            }, false).onFailure(e -> LOG.debugf("Event listener row not removed (%s); it expires by itself",
                    e.getMessage()));
        }
    }

    private void ack(EngineSession session, Long ackId, String error) {
        if (ackId != null) {
            send(session, SocketIoPacket.ACK, SocketIoPacket.ROOT, ackId, error == null ? "[]" : "[" + error + "]");
        }
    }

    private static String error(String message) {
        return new JsonObject().put("message", message).encode();
    }

    private static void send(EngineSession session, int type, String namespace, Long ackId, String data) {
        session.send("4" + new SocketIoPacket(type, namespace, ackId, data).encode());
    }
}
