package io.crewjvm.task;

import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.RawJson;
import jakarta.ws.rs.HeaderParam;
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

/** Controls of one task: reset, retry, cancel, pluck. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "task")
@APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
@APIResponse(responseCode = "400", description = "Invalid id or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
@APIResponse(responseCode = "404", description = "No such task",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class TaskControlResource {

    private final TaskService tasks;
    private final PluckService pluck;

    TaskControlResource(TaskService tasks, PluckService pluck) {
        this.tasks = tasks;
        this.pluck = pluck;
    }

    @POST
    @Path("/task/{id}/reset")
    @Operation(summary = "Reset a task", description = "Output, errors, lease and runAfter cleared; remainingAttempts "
            + "(default 2). A lease held by a dead worker is released. Tasks depending on it wait for it again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.AttemptsRequest.class)))
    public RawJson reset(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String raw) {
        return new RawJson(tasks.reset(Ids.parse(id, "task id"),
                TaskRequests.reset(Body.parse(raw, type), TaskService.DEFAULT_RESET_ATTEMPTS)));
    }

    @POST
    @Path("/task/{id}/retry")
    @Operation(summary = "Retry a task", description = "Sets remainingAttempts (default 2). A failed or cancelled "
            + "task is back in line (with the tasks cancelled along with it) and the tasks it blocked wait again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.AttemptsRequest.class)))
    public RawJson retry(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String raw) {
        return new RawJson(tasks.retry(Ids.parse(id, "task id"),
                TaskRequests.retry(Body.parse(raw, type), TaskService.DEFAULT_RETRY_ATTEMPTS)));
    }

    @POST
    @Path("/task/{id}/cancel")
    @Operation(summary = "Cancel a task", description = "A task that is not complete or failed becomes cancelled "
            + "(final until a retry or reset), and so do the unfinished tasks below it (but a task with runWhen "
            + "parentsDone, which then counts it as ended). A running attempt loses its lease at once: the worker's "
            + "next heartbeat or release gets 409 with a message saying cancelled. A finished task is left as it is. "
            + "Returns the task.")
    public RawJson cancel(@PathParam("id") String id) {
        return new RawJson(tasks.cancel(Ids.parse(id, "task id")));
    }

    @POST
    @Path("/task/{id}/pluck")
    @Operation(summary = "Copy a task into a new paused group",
            description = "The copy keeps name, channel, workgroup, key, priority, progressWeight, isSeed, "
                    + "errorDelayInSeconds and input; it has 5 attempts and no parents. Returns the copy.")
    public RawJson pluck(@PathParam("id") String id) {
        return new RawJson(pluck.pluck(Ids.parse(id, "task id")));
    }
}
