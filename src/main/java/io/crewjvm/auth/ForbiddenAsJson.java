package io.crewjvm.auth;

import io.crewjvm.api.JsonReply;
import io.quarkus.security.ForbiddenException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A valid token of a role that the path does not admit: 403 in Crew's error shape instead of an empty body. */
@ApplicationScoped
public class ForbiddenAsJson {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (context.failure() instanceof ForbiddenException && !context.response().ended()) {
            JsonReply.send(context, 403, "Forbidden: this token may not do that; it needs an admin token");
        } else {
            context.next();
        }
    }
}
