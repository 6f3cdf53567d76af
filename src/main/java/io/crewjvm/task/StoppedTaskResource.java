package io.crewjvm.task;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Paging;
import io.crewjvm.api.RawJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

/** Failed (or cancelled) work across groups: the dead-letter view and its bulk retry. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "task")
@APIResponse(responseCode = "400", description = "Invalid filter or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class StoppedTaskResource {

    private static final int DEFAULT_PAGE = 50;

    private final StoppedTaskService service;

    StoppedTaskResource(StoppedTaskService service) {
        this.service = service;
    }

    @GET
    @Path("/tasks")
    @Operation(summary = "List failed (or cancelled) tasks across groups, most recently ended first",
            description = "state: failed (the default) or cancelled; channel, workgroup: only those; since: ended at "
                    + "or after this ISO-8601 time; limit (default 50), skip. Each task's errors end with its last.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Task.class)))
    public RawJson list(@QueryParam("state") String state, @QueryParam("channel") String channel,
                        @QueryParam("workgroup") String workgroup, @QueryParam("since") String since,
                        @QueryParam("limit") String limit, @QueryParam("skip") String skip) {
        ObjectNode query = JsonNodeFactory.instance.objectNode().put("state", state).put("channel", channel)
                .put("workgroup", workgroup).put("since", since);
        return new RawJson(service.list(StoppedTaskRequests.filter(Body.of(query)),
                Paging.of(limit, skip, DEFAULT_PAGE, false)));
    }

    @POST
    @Path("/tasks/retry")
    @Operation(summary = "Retry every failed (or cancelled) task a filter takes",
            description = "Body: the filter of GET /api/v1/tasks (state, channel, workgroup, since) and "
                    + "remainingAttempts (default 2). Each task is revived as by its own retry, a thousand per "
                    + "transaction. Answers how many were revived.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.StoppedTaskRetry.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Retried.class)))
    public ApiSchemas.Retried retry(@HeaderParam("Content-Type") String type, String raw) {
        Body body = Body.parse(raw, type);
        StoppedTaskFilter filter = StoppedTaskRequests.filter(body);
        RetryCommand retry = TaskRequests.retry(body, TaskService.DEFAULT_RETRY_ATTEMPTS);
        return new ApiSchemas.Retried(service.retry(filter, retry.attempts()));
    }
}
