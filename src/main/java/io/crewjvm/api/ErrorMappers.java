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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as JSON {@code {"message": ...}}; only a bug of ours is a 500, which tells nothing of it. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Long enough for a pool to reconnect or a connection to free up, short enough not to idle a worker. */
    private static final String RETRY_AFTER_SECONDS = "1";

    public static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("message", message))
                .build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    /** Only an unreadable request is the client's fault; a response that cannot be written is a bug (500). */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof JsonParseException || e instanceof MismatchedInputException) {
            return json(400, "Malformed JSON: " + e.getOriginalMessage());
        }
        return InternalErrors.response(e, "Response could not be written as JSON");
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
        if (SqlStates.isUnstorableText(e)) {
            return json(400, Body.NUL_REFUSED);
        }
        if (SqlStates.isTooLarge(e)) {
            return json(400, "A value is too large for the database to store or index");
        }
        if (SqlStates.isUnavailable(e)) {
            LOG.warn("Database unavailable: " + e.getMessage());
            return Response.fromResponse(json(503, "The database is unavailable; try again shortly"))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        return InternalErrors.response(e, "Unexpected error");
    }
}
