package io.crewjvm.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTP concerns below JAX-RS: the body size limit answered in JSON, Swagger UI's second address, and how the
 * static files (the dashboard and the landing page) are addressed and cached.
 */
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
        router.get("/dashboard").handler(this::toDashboard);
        router.route("/dashboard/*").order(-90).handler(this::revalidate);
        router.get("/").order(-90).handler(this::revalidate); // the landing page, index.html
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
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        JsonReply.send(rc, status, message);
    }

    /**
     * The dashboard's relative URLs (its scripts, {@code ../api/v1}) resolve from {@code /dashboard/} only. The
     * Location is relative too, so that the redirect stays right behind a path prefix.
     */
    private void toDashboard(RoutingContext rc) {
        if (rc.request().path().endsWith("/")) { // Vert.x matches /dashboard/ here too: the page itself
            rc.next();
            return;
        }
        rc.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "dashboard/").end();
    }

    /**
     * Static files are otherwise cached for a day as immutable: after an upgrade a browser would run old modules
     * against a new page. {@code no-cache} makes it ask each time, and Last-Modified makes the answer a cheap 304.
     */
    private void revalidate(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> rc.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
        rc.next();
    }

    private void toSwaggerUi(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/api-docs/").end();
    }
}
