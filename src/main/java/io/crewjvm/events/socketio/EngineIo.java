package io.crewjvm.events.socketio;

import io.crewjvm.CrewConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine.IO 4, the transport under socket.io, at {@code /socket.io/} on the service's own port: long-polling
 * (GET to receive, POST to send) with the upgrade to a WebSocket, or a WebSocket from the start. Sessions live in
 * this replica's memory: behind a load balancer, polling clients need sticky sessions, as with any socket.io server
 * (a WebSocket-only client does not). CORS is answered by the service's CORS filter (any origin).
 */
@ApplicationScoped
public class EngineIo {

    static final String TEXT = "text/plain; charset=UTF-8";
    static final String PATH = "/socket.io/";
    private static final int MAX_PAYLOAD_BYTES = 1_000_000;
    /** A polling client that misses this many packets does not read: it is closed and reconnects. */
    private static final int MAX_BUFFERED_PACKETS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final SessionHandler handler;
    private final EngineSession.Settings settings;
    private volatile boolean closing;

    EngineIo(Vertx vertx, SocketIo handler, CrewConfig config) {
        this.vertx = vertx;
        this.handler = handler;
        this.settings = new EngineSession.Settings(config.socketioPingInterval().toMillis(),
                config.socketioPingTimeout().toMillis(), MAX_BUFFERED_PACKETS);
    }

    void register(@Observes Router router) {
        // Before the REST layer, which would answer this path with 404.
        router.route(PATH).order(-50).handler(this::handle);
        router.route("/socket.io").order(-50).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        if (!"4".equals(request.getParam("EIO"))) {
            refuse(response, 400, 5, "Unsupported protocol version");
            return;
        }
        String transport = request.getParam("transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            refuse(response, 400, 0, "Transport unknown");
            return;
        }
        String sid = request.getParam("sid");
        EngineSession session = sid == null ? null : sessions.get(sid);
        if (sid != null && session == null) {
            refuse(response, 400, 1, "Session ID unknown");
            return;
        }
        boolean websocket = "websocket".equals(transport);
        if (websocket && !"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            refuse(response, 400, 3, "Bad request");
            return;
        }
        if (session == null) {
            handshake(request, response, websocket);
        } else if (websocket) {
            request.toWebSocket().onSuccess(ws -> {
                UpgradedRequests.done(request);
                session.probe(ws);
            }).onFailure(e -> session.close());
        } else if (request.method() == HttpMethod.GET) {
            session.poll(response);
        } else if (request.method() == HttpMethod.POST) {
            receive(session, request, response);
        } else {
            refuse(response, 400, 3, "Bad request");
        }
    }

    private void handshake(HttpServerRequest request, HttpServerResponse response, boolean websocket) {
        if (closing) {
            refuse(response, 503, 3, "Shutting down");
            return;
        }
        if (!websocket && request.method() != HttpMethod.GET) {
            refuse(response, 400, 2, "Bad handshake method");
            return;
        }
        EngineSession session = new EngineSession(newId(), Handshake.of(request), vertx, settings, handler,
                s -> sessions.remove(s.id()));
        String open = "0" + new JsonObject().put("sid", session.id())
                .put("upgrades", websocket ? new JsonArray() : new JsonArray(List.of("websocket")))
                .put("pingInterval", settings.pingIntervalMillis()).put("pingTimeout", settings.pingTimeoutMillis())
                .put("maxPayload", MAX_PAYLOAD_BYTES).encode();
        if (websocket) {
            request.toWebSocket().onSuccess(ws -> {
                UpgradedRequests.done(request);
                sessions.put(session.id(), session);
                session.attach(ws);
                ws.writeTextMessage(open);
                session.start();
            });
        } else {
            sessions.put(session.id(), session);
            response.putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(open);
            session.start();
        }
    }

    private static void receive(EngineSession session, HttpServerRequest request, HttpServerResponse response) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH); // checked to be a number (HttpRoutes)
        if (length != null && Long.parseLong(length.trim()) > MAX_PAYLOAD_BYTES) {
            refuse(response, 413, 3, "Bad request");
            session.close();
            return;
        }
        request.body().onSuccess(body -> {
            if (body.length() > MAX_PAYLOAD_BYTES) {
                refuse(response, 413, 3, "Bad request");
                session.close();
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html").end("ok");
            session.received(body.toString());
        }).onFailure(e -> session.close());
        request.resume(); // the router pauses requests until a handler reads them
    }

    /** Engine.IO's error answer: {@code {"code": n, "message": ...}}; socket.io clients then handshake again. */
    static void refuse(HttpServerResponse response, int status, int code, String message) {
        if (!response.ended()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("code", code).put("message", message).encode());
        }
    }

    /** A session's or socket's id: 20 URL-safe random characters, as socket.io's own. */
    static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Shutting down: every session ends at once, so that its client reconnects to another replica. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        closing = true;
        List.copyOf(sessions.values()).forEach(EngineSession::close);
    }
}
