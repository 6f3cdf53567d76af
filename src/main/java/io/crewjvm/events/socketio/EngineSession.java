package io.crewjvm.events.socketio;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One Engine.IO 4 session: its packets go out over long-polling GETs until the client upgrades it to a WebSocket
 * (or over a WebSocket from the start). The server pings every {@code pingInterval}; a client that has not answered
 * within {@code pingTimeout} is gone. Packets wait in a bounded outbox while no GET is held: a client that does
 * not read is closed rather than buffered for, and reconnects to read the current state. Writes go through the
 * event loop of the connection they use (responses and WebSockets are not thread-safe); the session's own state is
 * guarded by its monitor and never held across I/O.
 */
final class EngineSession {

    static final char SEPARATOR = '\u001e';
    private static final String PING = "2";
    private static final String NOOP = "6";
    private static final String CLOSE = "1";

    record Settings(long pingIntervalMillis, long pingTimeoutMillis, int maxBufferedPackets) {
    }

    private record Held(HttpServerResponse response, Context context) {
    }

    private record Socket(ServerWebSocket socket, Context context) {
    }

    private final String id;
    private final Handshake handshake;
    private final Vertx vertx;
    private final Settings settings;
    private final SessionHandler handler;
    private final Consumer<EngineSession> onClosed;

    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private Held poll;
    private Socket socket;
    private boolean upgrading;
    private boolean closed;
    private long timer = -1;

    EngineSession(String id, Handshake handshake, Vertx vertx, Settings settings, SessionHandler handler,
                  Consumer<EngineSession> onClosed) {
        this.id = id;
        this.handshake = handshake;
        this.vertx = vertx;
        this.settings = settings;
        this.handler = handler;
        this.onClosed = onClosed;
    }

    String id() {
        return id;
    }

    Handshake handshake() {
        return handshake;
    }

    /** Starts the heartbeat: the first ping goes out one interval after the open packet. */
    synchronized void start() {
        timer = vertx.setTimer(settings.pingIntervalMillis(), t -> ping());
    }

    /** Sends one Engine.IO packet (its type digit and data). */
    void send(String packet) {
        boolean overflow;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (socket != null) {
                write(socket, packet);
                return;
            }
            outbox.add(packet);
            overflow = outbox.size() > settings.maxBufferedPackets();
            if (!overflow) {
                flushPoll();
            }
        }
        if (overflow) {
            close();
        }
    }

    /** A long-polling GET: answered at once with what waits, else held until a packet comes. */
    void poll(HttpServerResponse response) {
        boolean conflict;
        synchronized (this) {
            conflict = closed || socket != null || poll != null;
            if (!conflict) {
                poll = new Held(response, Vertx.currentContext());
                if (upgrading) {
                    answer(NOOP); // the client pauses polling while its WebSocket probe completes
                } else {
                    flushPoll();
                }
            }
        }
        if (conflict) { // a second GET at once, or a GET after the upgrade: the client is confused, as in Engine.IO
            EngineIo.refuse(response, 400, 3, "Bad request");
            close();
            return;
        }
        response.closeHandler(v -> dropPoll(response));
    }

    private synchronized void dropPoll(HttpServerResponse response) {
        if (poll != null && poll.response() == response) {
            poll = null;
        }
    }

    /** A POST's packets, separated as Engine.IO 4 separates them. */
    void received(String payload) {
        int start = 0;
        for (int i = 0; i <= payload.length(); i++) {
            if (i == payload.length() || payload.charAt(i) == SEPARATOR) {
                if (i > start) {
                    packet(payload.substring(start, i));
                }
                start = i + 1;
            }
        }
    }

    /** A WebSocket that is this session's only transport from the start. */
    void attach(ServerWebSocket ws) {
        synchronized (this) {
            socket = new Socket(ws, Vertx.currentContext());
        }
        listen(ws);
    }

    /** A WebSocket that probes to take over from polling: {@code 2probe}, {@code 3probe}, then {@code 5}. */
    void probe(ServerWebSocket ws) {
        ws.textMessageHandler(text -> {
            if ("2probe".equals(text)) {
                ws.writeTextMessage("3probe");
                synchronized (this) {
                    upgrading = true;
                    if (poll != null) {
                        answer(NOOP);
                    }
                }
            } else if ("5".equals(text)) {
                upgrade(ws);
            } else {
                ws.close();
            }
        });
        ws.closeHandler(v -> {
            synchronized (this) {
                upgrading = false; // a failed probe: polling goes on
            }
        });
    }

    private void upgrade(ServerWebSocket ws) {
        synchronized (this) {
            if (closed) {
                ws.close();
                return;
            }
            upgrading = false;
            if (poll != null) {
                answer(NOOP);
            }
            socket = new Socket(ws, Vertx.currentContext());
            outbox.forEach(packet -> write(socket, packet));
            outbox.clear();
        }
        listen(ws);
    }

    private void listen(ServerWebSocket ws) {
        ws.textMessageHandler(this::packet);
        ws.binaryMessageHandler(b -> close()); // socket.io's binary attachments are not part of Crew's protocol
        ws.closeHandler(v -> close());
    }

    private void packet(String packet) {
        switch (packet.charAt(0)) {
            case '4' -> handler.message(this, packet.substring(1));
            case '3' -> pong();
            case '1' -> close();
            case '2' -> send("3" + packet.substring(1)); // Engine.IO 3 clients ping; 4 only probes
            default -> { // noop, or an upgrade packet outside a probe: nothing to do
            }
        }
    }

    private synchronized void ping() {
        if (closed) {
            return;
        }
        send(PING);
        timer = vertx.setTimer(settings.pingTimeoutMillis(), t -> close());
    }

    private synchronized void pong() {
        if (closed) {
            return;
        }
        vertx.cancelTimer(timer);
        timer = vertx.setTimer(settings.pingIntervalMillis(), t -> ping());
    }

    /** Ends the session: a held GET gets Engine.IO's close packet, a WebSocket is closed; clients reconnect. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            vertx.cancelTimer(timer);
            outbox.clear();
            if (poll != null) {
                answer(CLOSE);
            }
            if (socket != null) {
                Socket s = socket;
                s.context().runOnContext(v -> s.socket().close());
            }
        }
        handler.closed(this);
        onClosed.accept(this);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void flushPoll() {
        if (poll == null || outbox.isEmpty()) {
            return;
        }
        StringBuilder payload = new StringBuilder();
        for (String packet : outbox) {
            if (!payload.isEmpty()) {
                payload.append(SEPARATOR);
            }
            payload.append(packet);
        }
        outbox.clear();
        answer(payload.toString());
    }

    /** Answers the held GET (the caller holds the monitor). */
    private void answer(String payload) {
        Held held = poll;
        poll = null;
        held.context().runOnContext(v -> {
            if (!held.response().ended() && !held.response().closed()) {
                held.response().putHeader(HttpHeaders.CONTENT_TYPE, EngineIo.TEXT).end(payload);
            }
        });
    }

    private static void write(Socket s, String packet) {
        s.context().runOnContext(v -> {
            if (s.socket().isClosed()) {
                return;
            }
            if (s.socket().writeQueueFull()) {
                s.socket().close(); // a client that does not read: it reconnects and reads the current state
                return;
            }
            s.socket().writeTextMessage(packet);
        });
    }
}
