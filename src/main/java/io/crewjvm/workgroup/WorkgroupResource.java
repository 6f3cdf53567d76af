package io.crewjvm.workgroup;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Limits;
import io.crewjvm.api.RawJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Workgroups: the rate-limit pauses that hold back every task of a workgroup, in any channel and group. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workgroup")
@APIResponse(responseCode = "404", description = "Not paused and no unfinished tasks",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class WorkgroupResource {

    private final WorkgroupService service;

    WorkgroupResource(WorkgroupService service) {
        this.service = service;
    }

    @GET
    @Path("/workgroups")
    @Operation(summary = "List workgroups with their pause and unfinished tasks per state")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = ApiSchemas.Workgroup.class)))
    public RawJson list() {
        return new RawJson(service.list());
    }

    @GET
    @Path("/workgroup/{name}")
    @Operation(summary = "Get a workgroup")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Workgroup.class)))
    public RawJson get(@PathParam("name") String name) {
        return new RawJson(service.get(name));
    }

    @POST
    @Path("/workgroup/{name}/pause")
    @Operation(summary = "Pause a workgroup until a time or for N seconds",
            description = "Body {until} or {seconds}, optional reason. Every ready task of the workgroup is held; "
                    + "tasks that become ready while it lasts are held too. No attempt is consumed. With seconds, a "
                    + "longer pause already in place is kept; with until, the pause ends exactly then.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.WorkgroupPause.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Workgroup.class)))
    @APIResponse(responseCode = "400", description = "Neither or both of until and seconds",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson pause(@PathParam("name") String name, @HeaderParam("Content-Type") String type, String raw) {
        return new RawJson(service.pause(name, pause(name, Body.parse(raw, type))));
    }

    /** Body {@code {until}} (ISO-8601 or epoch ms) or {@code {seconds}}, and an optional {@code reason}. */
    private static PauseWorkgroup pause(String name, Body body) {
        IndexedText.check("workgroup", name);
        Instant until = body.time("until");
        Integer seconds = body.integer("seconds", 1, Limits.MAX_DELAY_SECONDS);
        String reason = body.string("reason");
        if ((until == null) == (seconds == null)) {
            throw ApiException.badRequest("Give either until (a date-time) or seconds (1 to " + Limits.MAX_DELAY_SECONDS
                    + ")");
        }
        return new PauseWorkgroup(until, seconds, reason);
    }

    @POST
    @Path("/workgroup/{name}/resume")
    @Operation(summary = "Resume a workgroup now",
            description = "Its held tasks become ready, except those whose own runAfter is still ahead.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Workgroup.class)))
    public RawJson resume(@PathParam("name") String name) {
        return new RawJson(service.resume(name));
    }
}
