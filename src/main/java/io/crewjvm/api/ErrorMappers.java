package io.crewjvm.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.crewjvm.db.SqlStates;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as JSON {@code {"message": ...}}; only a bug of ours is a 500, which tells nothing of it. The
 * answer to a failure is decided once ({@link #answer}), for the JAX-RS resources (the mappers below) and for the
 * plain routes of the worker protocol ({@link JsonRoutes}) alike.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Long enough for a pool to reconnect or a connection to free up, short enough not to idle a worker. */
    public static final String RETRY_AFTER_SECONDS = "1";

    /**
     * What a failure answers: its status, the JSON body ({@code {"message": ...}}, or a bug's reference) and whether
     * the client is to try again shortly (Retry-After).
     */
    public record Answer(int status, Map<String, Object> body, boolean retryLater) {

        static Answer message(int status, String message) {
            return new Answer(status, Map.of("message", message), false);
        }
    }

    public static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("message", message))
                .build();
    }

    /**
     * The answer to any failure of a request: a refusal of ours (ApiException) says why, an unreadable body is 400,
     * the database's failures are classified by SQLSTATE, anything else is a bug (logged, answered with its
     * reference only). A CompletionException stands for its cause.
     */
    public static Answer answer(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (e instanceof ApiException api) {
            return Answer.message(api.status(), api.getMessage());
        }
        if (e instanceof JsonProcessingException json) {
            return malformed(json);
        }
        if (e instanceof Exception exception) {
            return unexpectedAnswer(exception);
        }
        return internal(e, "Unexpected error");
    }

    private static Response response(Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer.body());
        if (answer.retryLater()) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    private static Answer internal(Throwable e, String what) {
        return new Answer(500, InternalErrors.body(InternalErrors.log(e, what)), false);
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    /** Only an unreadable request is the client's fault; a response that cannot be written is a bug (500). */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return response(malformed(e));
    }

    private static Answer malformed(JsonProcessingException e) {
        if (e instanceof JsonParseException || e instanceof MismatchedInputException) {
            return Answer.message(400, "Malformed JSON: " + e.getOriginalMessage());
        }
        return internal(e, "Response could not be written as JSON");
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(404, "Not found");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return json(405, "Method not allowed");
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return json(415, "Unsupported content type: send application/json");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 500) {
            return InternalErrors.response(e, "Unexpected error");
        }
        return json(status, e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : e.getMessage());
    }

    /**
     * Anything else: the database's failures are classified by SQLSTATE (a connection that broke, a database that
     * shuts down, a pool with no connection to spare are 503 with Retry-After, so that clients retry instead of
     * giving up); the rest is a bug: 500 with a reference to the log line, never the error's own text (see
     * InternalErrors). Checked exceptions come here too, from the asynchronous endpoints.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return response(unexpectedAnswer(e));
    }

    private static Answer unexpectedAnswer(Exception e) {
        if (SqlStates.isUnstorableText(e)) {
            return Answer.message(400, Body.NUL_REFUSED);
        }
        if (SqlStates.isTooLarge(e)) {
            return Answer.message(400, "A value is too large for the database to store or index");
        }
        if (SqlStates.isUnavailable(e)) {
            LOG.warn("Database unavailable: " + e.getMessage());
            return new Answer(503, Map.of("message", "The database is unavailable; try again shortly"), true);
        }
        return internal(e, "Unexpected error");
    }
}
