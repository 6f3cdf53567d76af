package io.crewjvm.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** HTTP concerns below JAX-RS: the body size limit answered in JSON, and Swagger UI's second address. */
@ApplicationScoped
public class HttpRoutes {

    private final long maxBodyBytes;

    HttpRoutes(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(-100).handler(this::limitBodySize);
        router.get("/q/swagger-ui").handler(this::toSwaggerUi);
        router.get("/q/swagger-ui/").handler(this::toSwaggerUi);
    }

    /** Rejects a declared oversize body up front with a JSON 413 (Vert.x would answer with an empty one). */
    private void limitBodySize(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                reject(rc, 400, "Invalid Content-Length");
                return;
            }
            if (bytes > maxBodyBytes) {
                reject(rc, 413, "Request body too large: the limit is " + maxBodyBytes + " bytes");
                return;
            }
        }
        rc.next();
    }

    private static void reject(RoutingContext rc, int status, String message) {
        rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"message\":\"" + message + "\"}");
    }

    private void toSwaggerUi(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/api-docs/").end();
    }
}
