package io.crewjvm.api;

import io.crewjvm.CrewConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Closes HTTP connections that the service has had nothing to write to for {@code crew.http-write-idle-timeout}.
 * Vert.x has no timeout for reading a request's headers, and its idle timeout counts every byte a client sends:
 * a client sending its headers a byte a second would hold its connection for hours. Every exchange the service
 * takes part in writes within that time (an answer, a long-poll's at most 30 s, the events' heartbeats, socket.io's
 * pings), a connection that only ever receives does not.
 *
 * <p>Clear-text HTTP/2 (h2c, by upgrade or by prior knowledge) is turned off, for the timeout to apply at all: with
 * it on, Vert.x 4.5 keeps a connection in an HTTP/1-or-h2c pipeline until the first request's headers are
 * complete, and that pipeline closes a connection on Vert.x's idle timeout only, never on a write-idle or read-idle
 * one (the event reaches no handler that acts on it). A client that never completes its headers would never be
 * closed. Crew's clients speak HTTP/1.1; HTTP/2 over TLS (ALPN) is unaffected.
 */
@ApplicationScoped
public class HttpTimeouts implements HttpServerOptionsCustomizer {

    private final long writeIdleMillis;

    HttpTimeouts(CrewConfig config) {
        this.writeIdleMillis = config.httpWriteIdleTimeout().toMillis();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
        options.setHttp2ClearTextEnabled(false);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        // One unit serves the three idle timeouts: the ones Quarkus set are kept, in milliseconds.
        TimeUnit unit = options.getIdleTimeoutUnit();
        options.setIdleTimeout(Math.toIntExact(unit.toMillis(options.getIdleTimeout())))
                .setReadIdleTimeout(Math.toIntExact(unit.toMillis(options.getReadIdleTimeout())))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setWriteIdleTimeout(Math.toIntExact(writeIdleMillis));
    }
}
