package io.crewjvm.worker;

import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The polling worker protocol: acquire a task of a channel, release it with a result. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid id or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class WorkerResource {

    private static final String NO_TASK = "{\"task\":null}";

    private final WorkerService service;
    private final LongPoll longPoll;

    WorkerResource(WorkerService service, LongPoll longPoll) {
        this.service = service;
        this.longPoll = longPoll;
    }

    @POST
    @Path("/channel/{channel}/acquire")
    @Tag(name = "channel")
    @Operation(summary = "Lease the next ready task of a channel",
            description = "Highest priority first, then oldest. The task is leased to workerId until "
                    + "leaseExpiresAt; {\"task\": null} when nothing is ready. With waitSeconds (at most 30) the "
                    + "request waits for a task to become ready.")
    @RequestBody(required = true,
            content = @Content(schema = @Schema(implementation = ApiSchemas.AcquireRequest.class)))
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = ApiSchemas.AcquireResponse.class)))
    @NonBlocking
    public Uni<RawJson> acquire(@PathParam("channel") String channel, @HeaderParam("Content-Type") String type,
                                @Context HttpServerResponse response, String raw) {
        return AsyncEndpoint.of(() -> {
            AcquireRequest request = WorkerRequests.acquire(Body.parse(raw, type), false);
            return longPoll.acquireAsync(channel, request.workerId(), 1, request.leaseSeconds(),
                            request.waitSeconds(), response::closed)
                    .thenApply(leased -> new RawJson(leased.isEmpty() ? NO_TASK : leased.get(0)));
        });
    }

    @POST
    @Path("/task/{id}/heartbeat")
    @Tag(name = "task")
    @Operation(summary = "Extend the lease of a task the worker holds",
            description = "Body {workerId, attempt?, leaseSeconds?}. The lease runs leaseSeconds (default: the task's, "
                    + "else CREW_ABANDONED_TASK_INTERVAL_IN_SECONDS) from now on the database clock. 409 means the "
                    + "worker no longer holds the task and should stop.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    @APIResponse(responseCode = "409", description = "Not leased to this worker (or attempt)",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson heartbeat(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String raw) {
        return new RawJson(service.heartbeat(Ids.parse(id, "task id"),
                WorkerRequests.heartbeat(Body.parse(raw, type))));
    }

    @POST
    @Path("/task/{id}/release")
    @Tag(name = "task")
    @Operation(summary = "Release a leased task with its output, or with an error",
            description = "Success completes the task, creates its children and frees the tasks waiting on it, in "
                    + "one transaction. A failure consumes an attempt (none under a workgroup delay). Releasing a "
                    + "complete task again returns it unchanged.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ApiSchemas.ReleaseTask.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    @APIResponse(responseCode = "409", description = "The task is not leased to this worker (or this attempt)",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    @NonBlocking
    public Uni<RawJson> release(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String raw) {
        return AsyncEndpoint.of(() -> {
            String taskId = Ids.parse(id, "task id");
            return service.release(taskId, ReleaseRequests.from(taskId, Body.parse(raw, type)))
                    .thenApply(RawJson::new);
        });
    }
}
