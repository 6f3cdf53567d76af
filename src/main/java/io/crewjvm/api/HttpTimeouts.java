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
 * takes part in writes within that time (an answer, a long-poll's at most 30 s, the events' heartbeats), a
 * connection that only ever receives does not.
 */
@ApplicationScoped
public class HttpTimeouts implements HttpServerOptionsCustomizer {

    private final long writeIdleMillis;

    HttpTimeouts(CrewConfig config) {
        this.writeIdleMillis = config.httpWriteIdleTimeout().toMillis();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        // One unit serves the three idle timeouts: the ones Quarkus set are kept, in milliseconds.
        TimeUnit unit = options.getIdleTimeoutUnit();
        options.setIdleTimeout(Math.toIntExact(unit.toMillis(options.getIdleTimeout())))
                .setReadIdleTimeout(Math.toIntExact(unit.toMillis(options.getReadIdleTimeout())))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setWriteIdleTimeout(Math.toIntExact(writeIdleMillis));
    }
}
