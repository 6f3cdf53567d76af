package io.crewjvm.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test only: a route below JAX-RS whose handler fails with a bug, as a Vert.x route of the service would, for
 * InternalErrorTest. Its exception's text stands for what must not reach a client.
 */
@ApplicationScoped
public class FailingRoute {

    public static final String PATH = "/test-only/failing-route";
    public static final String SECRET = "route secret: SELECT password FROM accounts";

    void register(@Observes Router router) {
        router.get(PATH).handler(rc -> {
            throw new IllegalStateException(SECRET);
        });
    }
}
