package io.crewjvm.schedule;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Paging;
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

/** Schedules: task groups created from a template at the fire times of a cron expression or an interval. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedule")
@APIResponse(responseCode = "400", description = "Invalid id, body or parameter",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class ScheduleResource {

    private static final int DEFAULT_NEXT = 5;
    private static final int DEFAULT_PAGE = 50;

    private final ScheduleService service;

    ScheduleResource(ScheduleService service) {
        this.service = service;
    }

    @GET
    @Path("/schedules")
    @Operation(summary = "List schedules, newest first, each with its next fire time and latest run",
            description = "limit 0 means no limit")
    public List<ScheduleView> list(@QueryParam("limit") String limit, @QueryParam("skip") String skip) {
        return service.list(Paging.of(limit, skip, DEFAULT_PAGE, false));
    }

    @POST
    @Path("/schedules")
    @Operation(summary = "Create a schedule", description = "Bad cron, unknown zone, a template with a cycle or an "
            + "unknown parent: 400, nothing stored. It first fires at its next fire time after now.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ScheduleSchemas.CreateSchedule.class)))
    public ScheduleView create(@HeaderParam("Content-Type") String type, String body) {
        return service.create(ScheduleRequests.newSchedule(Body.parse(body, type)));
    }

    @POST
    @Path("/schedules/preview")
    @Operation(summary = "The next fire times of a schedule before it is saved (nothing is stored)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ScheduleSchemas.CreateSchedule.class)))
    public List<String> preview(@QueryParam("count") String count, @HeaderParam("Content-Type") String type,
                                String body) {
        return service.preview(ScheduleRequests.newSchedule(Body.parse(body, type)), count(count));
    }

    @GET
    @Path("/schedule/{id}")
    @Operation(summary = "Get a schedule")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ScheduleView get(@PathParam("id") String id) {
        return service.get(Ids.parse(id, "schedule id"));
    }

    @PUT
    @Path("/schedule/{id}")
    @Operation(summary = "Replace a schedule", description = "The body is that of a create; the history stays and "
            + "the schedule goes on from its next fire time after now.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ScheduleSchemas.CreateSchedule.class)))
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ScheduleView update(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        String scheduleId = Ids.parse(id, "schedule id");
        return service.update(scheduleId, ScheduleRequests.newSchedule(Body.parse(body, type)));
    }

    @DELETE
    @Path("/schedule/{id}")
    @Operation(summary = "Delete a schedule and its history", description = "The groups it created stay.")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ApiSchemas.DeleteResult delete(@PathParam("id") String id) {
        service.delete(Ids.parse(id, "schedule id"));
        return new ApiSchemas.DeleteResult(true, 1);
    }

    @POST
    @Path("/schedule/{id}/pause")
    @Operation(summary = "Pause a schedule", description = "No fire time runs until it is resumed.")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ScheduleView pause(@PathParam("id") String id) {
        return service.setPaused(Ids.parse(id, "schedule id"), true);
    }

    @POST
    @Path("/schedule/{id}/resume")
    @Operation(summary = "Resume a schedule", description = "It goes on from its next fire time after now; the fire "
            + "times of the pause are not caught up.")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public ScheduleView resume(@PathParam("id") String id) {
        return service.setPaused(Ids.parse(id, "schedule id"), false);
    }

    @POST
    @Path("/schedule/{id}/run")
    @Operation(summary = "Run a schedule now", description = "Creates its group at once, paused or not and whatever "
            + "its overlap policy; its fire times are unchanged.")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RunView run(@PathParam("id") String id) {
        return service.runNow(Ids.parse(id, "schedule id"));
    }

    @GET
    @Path("/schedule/{id}/next")
    @Operation(summary = "The next fire times (ISO instants, UTC)", description = "count: 1 to 1000, default 5")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public List<String> next(@PathParam("id") String id, @QueryParam("count") String count) {
        String scheduleId = Ids.parse(id, "schedule id");
        return service.next(scheduleId, count(count));
    }

    @GET
    @Path("/schedule/{id}/runs")
    @Operation(summary = "A schedule's history, newest first", description = "Each fire time with the group it "
            + "created, or why it was skipped; the newest 1,000 are kept. limit 0 means all of them.")
    @APIResponse(responseCode = "404", description = "No such schedule",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public List<RunView> runs(@PathParam("id") String id, @QueryParam("limit") String limit,
                              @QueryParam("skip") String skip) {
        String scheduleId = Ids.parse(id, "schedule id");
        return service.runs(scheduleId, Paging.of(limit, skip, DEFAULT_PAGE, true));
    }

    private static int count(String count) {
        if (count == null || count.isBlank()) {
            return DEFAULT_NEXT;
        }
        try {
            int n = Integer.parseInt(count.trim());
            if (n >= 1 && n <= ScheduleService.MAX_NEXT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as a number out of range
        }
        throw ApiException.badRequest("count must be an integer from 1 to " + ScheduleService.MAX_NEXT);
    }
}
