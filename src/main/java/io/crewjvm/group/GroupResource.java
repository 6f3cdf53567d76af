package io.crewjvm.group;

import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Paging;
import io.crewjvm.task.TaskRequests;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Task groups: list, count, get, create, rename, delete. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "task_group")
@APIResponse(responseCode = "400", description = "Invalid id or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class GroupResource {

    private final GroupService service;

    GroupResource(GroupService service) {
        this.service = service;
    }

    @GET
    @Path("/task_groups")
    @Operation(summary = "List task groups, newest first", description = "limit 0 means no limit")
    public List<GroupView> list(@QueryParam("limit") String limit, @QueryParam("skip") String skip) {
        return service.list(Paging.of(limit, skip, 50, false));
    }

    @GET
    @Path("/task_groups/count")
    @Operation(summary = "Count task groups")
    public ApiSchemas.Count count() {
        return new ApiSchemas.Count(service.count());
    }

    @GET
    @Path("/task_group/{id}")
    @Operation(summary = "Get a task group with its status, task counts and progress")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView get(@PathParam("id") String id) {
        return service.get(Ids.parse(id, "task group id"));
    }

    @POST
    @Path("/task_groups")
    @Operation(summary = "Create a task group")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.CreateTaskGroup.class)))
    public GroupView create(@HeaderParam("Content-Type") String type, String body) {
        return service.create(newGroup(Body.parse(body, type)));
    }

    private static NewGroup newGroup(Body body) {
        String name = body.string("name");
        Boolean paused = body.bool("isPaused");
        return new NewGroup(name, paused != null && paused);
    }

    @PUT
    @Path("/task_group/{id}")
    @Operation(summary = "Rename a task group", description = "Only name changes; other fields are ignored")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.UpdateTaskGroup.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView update(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        return service.update(Ids.parse(id, "task group id"), rename(Body.parse(body, type)));
    }

    private static GroupRename rename(Body body) {
        String name = body.string("name");
        return new GroupRename(body.has("name"), name);
    }

    @POST
    @Path("/task_group/{id}/pause")
    @Operation(summary = "Pause a group", description = "Its tasks are not acquired until it is resumed; leased "
            + "tasks may still be released; tasks created in it meanwhile start paused.")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView pause(@PathParam("id") String id) {
        return service.setPaused(Ids.parse(id, "task group id"), true);
    }

    @POST
    @Path("/task_group/{id}/resume")
    @Operation(summary = "Resume a group")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView resume(@PathParam("id") String id) {
        return service.setPaused(Ids.parse(id, "task group id"), false);
    }

    @POST
    @Path("/task_group/{id}/reset")
    @Operation(summary = "Reset a group", description = "With seed tasks (isSeed) every other task is deleted. The "
            + "remaining tasks start over: output, errors, leases and runAfter cleared, remainingAttempts (default 5).")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.AttemptsRequest.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView reset(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        return service.reset(Ids.parse(id, "task group id"),
                TaskRequests.reset(Body.parse(body, type), GroupService.DEFAULT_RESET_ATTEMPTS));
    }

    @POST
    @Path("/task_group/{id}/retry")
    @Operation(summary = "Retry a group's failed and cancelled tasks", description = "Failed and cancelled tasks "
            + "get remainingAttempts (default 2) again and the tasks they blocked wait again.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.AttemptsRequest.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView retry(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        return service.retry(Ids.parse(id, "task group id"),
                TaskRequests.retry(Body.parse(body, type), GroupService.DEFAULT_RETRY_ATTEMPTS));
    }

    @POST
    @Path("/task_group/{id}/cancel")
    @Operation(summary = "Cancel a group's unfinished tasks", description = "Every task of the group that is not "
            + "complete or failed becomes cancelled, and so do the unfinished tasks below them in other groups (but "
            + "a task with runWhen parentsDone, which then counts them as ended). Running attempts lose their lease "
            + "at once: their worker's next heartbeat or release gets 409 with a message saying cancelled. A retry "
            + "or reset of the group revives them.")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public GroupView cancel(@PathParam("id") String id) {
        return service.cancel(Ids.parse(id, "task group id"));
    }

    @DELETE
    @Path("/task_group/{id}")
    @Operation(summary = "Delete a task group and its tasks")
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ApiSchemas.DeleteResult delete(@PathParam("id") String id) {
        service.delete(Ids.parse(id, "task group id"));
        return new ApiSchemas.DeleteResult(true, 1);
    }
}
