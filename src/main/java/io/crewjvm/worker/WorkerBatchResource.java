package io.crewjvm.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.RawJson;
import io.crewjvm.api.AsyncEndpoint;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Additive endpoints for fast workers: many tasks per acquire, many results per release call. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class WorkerBatchResource {

    static final int MAX_RELEASES = 1000;
    /** The preference of RFC 7240 that asks for a response without the resources' representations. */
    private static final Pattern MINIMAL = Pattern.compile("(^|[,;\\s])return\\s*=\\s*\"?minimal\\b",
            Pattern.CASE_INSENSITIVE);

    /**
     * The outcome of one release of a batch: the status it would have had alone, with the task (unless the call
     * asked for a minimal answer) or the message.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReleaseResult(String taskId, int status, @JsonRawValue String task, String message) {
    }

    public record ReleaseResults(List<ReleaseResult> results) {
    }

    private final WorkerService service;
    private final LongPoll longPoll;

    WorkerBatchResource(WorkerService service, LongPoll longPoll) {
        this.service = service;
        this.longPoll = longPoll;
    }

    @POST
    @Path("/channel/{channel}/acquire_batch")
    @Tag(name = "channel")
    @Operation(summary = "Lease up to limit ready tasks of a channel at once",
            description = "Body {workerId, limit (1-1000, default 10), leaseSeconds?, waitSeconds? (0-30)}. Answers "
                    + "{\"tasks\": [{task, parents}, ...]}, highest priority first, then oldest; an empty array when "
                    + "nothing became ready within waitSeconds.")
    @RequestBody(required = true,
            content = @Content(schema = @Schema(implementation = ApiSchemas.AcquireRequest.class)))
    @NonBlocking
    public Uni<RawJson> acquireBatch(@PathParam("channel") String channel, @HeaderParam("Content-Type") String type,
                                     @Context HttpServerResponse response, String raw) {
        return AsyncEndpoint.of(() -> {
            AcquireRequest request = WorkerRequests.acquire(Body.parse(raw, type), true);
            return longPoll.acquireAsync(channel, request.workerId(), request.limit(), request.leaseSeconds(),
                            request.waitSeconds(), response::closed)
                    .thenApply(leased -> new RawJson("{\"tasks\":[" + String.join(",", leased) + "]}"));
        });
    }

    @POST
    @Path("/tasks/release")
    @Tag(name = "task")
    @Operation(summary = "Release many leased tasks in one call",
            description = "Body {releases: [{taskId, workerId, output | error, children, ...}, ...]}. Each release "
                    + "is fenced and atomic on its own, exactly as POST /task/{id}/release; results come back in "
                    + "order with the status each would have had alone. With the header Prefer: return=minimal "
                    + "the results leave out the tasks' documents, which makes the call markedly cheaper.")
    @NonBlocking
    public Uni<RestResponse<ReleaseResults>> releaseBatch(@HeaderParam("Content-Type") String type,
                                                          @HeaderParam("Prefer") String prefer, String raw) {
        return AsyncEndpoint.of(() -> {
            List<Body> releases = Body.parse(raw, type).objects("releases");
            if (releases.size() > MAX_RELEASES) {
                throw ApiException.badRequest("releases: at most " + MAX_RELEASES + " per call");
            }
            boolean minimal = prefer != null && MINIMAL.matcher(prefer).find();
            List<ReleaseRequests.BatchItem> items = releases.stream().map(ReleaseRequests::batchItem).toList();
            return service.releaseAll(items, !minimal).thenApply(outcomes -> results(releases, outcomes, minimal));
        });
    }

    private static RestResponse<ReleaseResults> results(List<Body> releases, List<WorkerService.Outcome> outcomes,
                                                        boolean minimal) {
        List<ReleaseResult> results = new ArrayList<>();
        for (int i = 0; i < releases.size(); i++) {
            JsonNode sent = releases.get(i).json("taskId");
            String taskId = sent == null ? null : sent.asText();
            WorkerService.Outcome outcome = outcomes.get(i);
            results.add(outcome.error() == null
                    ? new ReleaseResult(taskId, 200, outcome.task(), null)
                    : new ReleaseResult(taskId, outcome.error().status(), null, outcome.error().getMessage()));
        }
        ReleaseResults body = new ReleaseResults(results);
        return minimal ? RestResponse.ResponseBuilder.ok(body).header("Preference-Applied", "return=minimal").build()
                : RestResponse.ok(body);
    }
}
