package io.crewjvm.events;

import io.crewjvm.CrewConfig;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Ids;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jboss.logging.Logger;

/**
 * Server-Sent Events: {@code GET /api/v1/events} streams every event, {@code GET /api/v1/task_group/{id}/events}
 * those of one group, with Crew's socket.io event names and payloads. Streams are plain Vert.x responses: no
 * worker thread is held while a client listens. A comment line is sent every heartbeat interval so that proxies
 * keep idle streams open and clients notice a dead connection.
 */
@ApplicationScoped
public class EventStreams implements EventAudience {

    private static final Logger LOG = Logger.getLogger(EventStreams.class);
    /** Sent first: reconnect after a second (the default is left to browsers), and "you are subscribed". */
    private static final String CONNECTED = "retry: 1000\n: connected\n\n";
    private static final String HEARTBEAT = ": heartbeat\n\n";

    private final Set<Stream> streams = new CopyOnWriteArraySet<>();
    private final EventPresence presence;
    private final Vertx vertx;
    private final long heartbeatMillis;
    private volatile boolean closing;

    EventStreams(EventPresence presence, Vertx vertx, CrewConfig config) {
        this.presence = presence;
        this.vertx = vertx;
        this.heartbeatMillis = config.eventsHeartbeatInterval().toMillis();
        presence.countClientsOf(this::size);
    }

    void register(@Observes Router router) {
        // Before the REST layer, which would answer these paths with 404.
        router.get("/api/v1/events").order(-50).handler(rc -> open(rc, null));
        router.get("/api/v1/task_group/:id/events").order(-50).handler(this::openGroup);
        vertx.setPeriodic(heartbeatMillis, id -> streams.forEach(s -> s.send(HEARTBEAT)));
    }

    @Override
    public int size() {
        return streams.size();
    }

    @Override
    public boolean wants(String group) {
        for (Stream s : streams) {
            if (s.wants(group)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void publish(String group, String event, String data) {
        String frame = frame(event, data);
        for (Stream s : streams) {
            if (s.wants(group)) {
                s.send(frame);
            }
        }
    }

    static String frame(String event, String data) {
        StringBuilder frame = new StringBuilder(data.length() + event.length() + 16).append("event: ").append(event)
                .append('\n');
        for (String line : data.split("\n", -1)) { // a JSON document may span lines; SSE rejoins them
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString();
    }

    private void openGroup(RoutingContext rc) {
        String id;
        try {
            id = Ids.parse(rc.pathParam("id"), "task group id");
        } catch (ApiException e) {
            rc.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("message", e.getMessage()).encode());
            return;
        }
        open(rc, id);
    }

    private void open(RoutingContext rc, String group) {
        HttpServerResponse response = rc.response();
        if (closing) {
            response.setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"message\":\"Shutting down\"}");
            return;
        }
        Stream stream = new Stream(group, response, vertx.getOrCreateContext());
        response.setChunked(true).setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no"); // nginx: pass each event on at once
        response.closeHandler(v -> close(stream));
        response.endHandler(v -> close(stream));
        streams.add(stream);
        vertx.executeBlocking(() -> {
            presence.present();
            return null;
        }, false).onComplete(done -> {
            if (done.succeeded()) {
                stream.send(CONNECTED);
            } else {
                LOG.warnf("Event stream refused: %s", done.cause().getMessage());
                streams.remove(stream);
                if (!response.ended()) {
                    response.setStatusCode(503).end();
                }
            }
        });
    }

    private void close(Stream stream) {
        if (streams.remove(stream) && streams.isEmpty() && !closing) {
            vertx.executeBlocking(() -> {
                presence.goneIfIdle();
                return null;
            }, false);
        }
    }

    /** Shutting down: streams end at once (clients reconnect to another replica) so they hold up nothing. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        endAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        endAll();
    }

    private void endAll() {
        if (closing) {
            return;
        }
        closing = true;
        List<Stream> open = List.copyOf(streams);
        streams.clear();
        open.forEach(Stream::end);
        if (!open.isEmpty()) {
            try {
                presence.goneIfIdle();
            } catch (RuntimeException e) {
                LOG.debugf("Event listener row not removed (%s); it expires by itself", e.getMessage());
            }
        }
    }
}
