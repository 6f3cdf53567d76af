package io.crewjvm.api;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * A bug of ours answers 500 with a reference and nothing of the error itself: an exception's or the database's
 * text can name tables, constraints, values of other requests or the code's structure, and is of no use to the
 * client. The reference is on the log line that carries the exception, so that an operator finds it from the
 * client's report. Errors of the JAX-RS resources come through {@link ErrorMappers}; those of the routes below
 * JAX-RS (event streams, authentication, anything unmapped) through the failure handler registered here, in place
 * of Quarkus' default page, which shows the exception's text outside production.
 */
@ApplicationScoped
public class InternalErrors {

    private static final Logger LOG = Logger.getLogger(InternalErrors.class);
    private static final String MESSAGE = "Internal error; reference ";

    /** Logs a bug with a new reference; the reference. */
    public static String log(Throwable error, String what) {
        String errorId = String.format("%016x", ThreadLocalRandom.current().nextLong());
        LOG.errorf(error, "%s; reference %s", what, errorId);
        return errorId;
    }

    /** Crew's error shape, {@code message} first, with the reference also as a field of its own. */
    public static Map<String, Object> body(String errorId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", MESSAGE + errorId);
        body.put("errorId", errorId);
        return body;
    }

    /** The 500 response of a JAX-RS resource: logs the error and answers its reference. */
    public static Response response(Throwable error, String what) {
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(body(log(error, what))).build();
    }

    void register(@Observes Router router) {
        // After ForbiddenAsJson (Integer.MIN_VALUE): a refusal of a token keeps its own answer.
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure == null || context.response().ended() || !isBug(failure, context.statusCode())) {
            context.next(); // a status chosen on purpose (413 of the body limit, 401, 403, 503): Quarkus answers it
            return;
        }
        String errorId = log(failure, "Request " + context.request().method() + " " + context.request().path()
                + " failed");
        if (context.response().headWritten()) {
            context.response().reset(); // the status is gone already: the client sees the connection cut
            return;
        }
        context.response().setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject(body(errorId)).encode());
    }

    /** A failure with no status of its own (or 500), that is not a refusal answered elsewhere. */
    private static boolean isBug(Throwable failure, int status) {
        if (status != -1 && status != 500) {
            return false;
        }
        if (failure instanceof HttpException http) {
            return http.getStatusCode() == 500;
        }
        return !(failure instanceof AuthenticationException || failure instanceof UnauthorizedException
                || failure instanceof ForbiddenException || failure instanceof RejectedExecutionException);
    }
}
