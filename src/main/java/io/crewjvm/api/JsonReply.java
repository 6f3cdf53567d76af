package io.crewjvm.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Crew's error shape, {@code {"message": ...}}, for answers given below JAX-RS (body limits, authentication). */
public final class JsonReply {

    private JsonReply() {
    }

    public static void send(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("message", message).encode());
    }
}
