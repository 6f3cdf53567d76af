package io.crewjvm.task;

import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.AsyncEndpoint;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Paging;
import io.crewjvm.api.RawJson;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tasks: create in a group, read, update, delete; list by group and by channel. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "task")
@APIResponse(responseCode = "400", description = "Invalid id or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class TaskResource {

    private final TaskService service;

    TaskResource(TaskService service) {
        this.service = service;
    }

    @GET
    @Path("/task/{id}")
    @Operation(summary = "Get a task")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson get(@PathParam("id") String id) {
        return new RawJson(service.get(Ids.parse(id, "task id")));
    }

    @GET
    @Path("/task/{id}/attempts")
    @Operation(summary = "A task's execution attempts", description = "Every attempt with its worker, start, end, "
            + "outcome (completed, failed, abandoned, merged, reset) and error; oldest first.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Attempt.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson attempts(@PathParam("id") String id) {
        return new RawJson(service.attempts(Ids.parse(id, "task id")));
    }

    @PUT
    @Path("/task/{id}")
    @Operation(summary = "Update a task", description = "Changes name, channel, workgroup, key, priority, runAfter, "
            + "remainingAttempts, errorDelayInSeconds, leaseSeconds, isSeed, progressWeight, input and parentIds; "
            + "other fields are ignored. Attempts given to a failed task revive it.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.CreateTask.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson update(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        return new RawJson(service.update(TaskRequests.patch(Ids.parse(id, "task id"), Body.parse(body, type))));
    }

    @DELETE
    @Path("/task/{id}")
    @Operation(summary = "Delete a task and all its descendants (in any group)")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = ApiSchemas.DeleteResult.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ApiSchemas.DeleteResult delete(@PathParam("id") String id) {
        service.delete(Ids.parse(id, "task id"));
        return new ApiSchemas.DeleteResult(true, 1);
    }

    @GET
    @Path("/task_group/{id}/tasks")
    @Operation(summary = "List a group's tasks, newest first", description = "limit <= 0 (the default) means all")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Task.class)))
    public RawJson listInGroup(@PathParam("id") String groupId, @QueryParam("limit") String limit,
                               @QueryParam("skip") String skip) {
        return new RawJson(service.listInGroup(Ids.parse(groupId, "task group id"),
                Paging.of(limit, skip, -1, true)));
    }

    @GET
    @Path("/task_group/{id}/graph")
    @Operation(summary = "A group's DAG, compactly (an addition)", description = "Every task of the group, oldest "
            + "first, with only _id, name, channel, state, isPaused and parentIds (parents may be in other groups); "
            + "totalTasks counts them all. At most 50,000 tasks are listed. The dashboard draws the DAG from it.")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Graph.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson graph(@PathParam("id") String groupId) {
        return new RawJson(service.graphInGroup(Ids.parse(groupId, "task group id")));
    }

    @POST
    @Path("/task_group/{id}/tasks")
    @Operation(summary = "Create a task in a group")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ApiSchemas.CreateTask.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    @NonBlocking
    public Uni<RawJson> create(@PathParam("id") String groupId, @HeaderParam("Content-Type") String type,
                               String body) {
        return AsyncEndpoint.of(() -> service.create(Ids.parse(groupId, "task group id"),
                        TaskRequests.newTask(Body.parse(body, type)))
                .thenApply(RawJson::new));
    }

    @POST
    @Path("/task_group/{id}/tasks/bulk")
    @Operation(summary = "Create many tasks in a group in one transaction",
            description = "Body {tasks: [CreateTask + optional _child_id / _parent_ids]}. Tasks may depend on "
                    + "existing tasks (parentIds) and on each other (_parent_ids naming siblings' _child_id, in any "
                    + "order). Cycles and unknown references are 400 and nothing is created. At most 10,000 tasks.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Task.class)))
    @APIResponse(responseCode = "404", description = "No such group",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson createMany(@PathParam("id") String groupId, @HeaderParam("Content-Type") String type,
                              String body) {
        return new RawJson(service.createMany(Ids.parse(groupId, "task group id"),
                TaskRequests.newTasks(Body.parse(body, type), TaskService.MAX_BULK)));
    }

    @GET
    @Path("/channels")
    @Tag(name = "channel")
    @Operation(summary = "List channels with task counts")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Channel.class)))
    public RawJson channels() {
        return new RawJson(service.channels());
    }

    @GET
    @Path("/channel/{channel}/tasks")
    @Tag(name = "channel")
    @Operation(summary = "List a channel's tasks across groups, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Task.class)))
    public RawJson listInChannel(@PathParam("channel") String channel, @QueryParam("limit") String limit,
                                 @QueryParam("skip") String skip) {
        return new RawJson(service.listInChannel(channel, Paging.of(limit, skip, 50, false)));
    }
}
