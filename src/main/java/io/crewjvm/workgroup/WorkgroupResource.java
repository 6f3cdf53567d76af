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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.databind.JsonNode;
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

    @PUT
    @Path("/workgroup/{name}")
    @Operation(summary = "Set a workgroup's concurrency cap, budget and parent",
            description = "Body {maxRunning, rate: {limit, periodSeconds, burst}, parent}, each part optional; a part "
                    + "sent as null is removed. maxRunning: at most that many tasks of the workgroup (and of the "
                    + "workgroups below it) leased at once. rate: a token bucket of limit units per periodSeconds "
                    + "holding at most burst (default: limit); acquiring a task spends its rateUnits (default 1). A "
                    + "task counts against its workgroup and every ancestor. A new budget starts full.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.WorkgroupLimits.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Workgroup.class)))
    @APIResponse(responseCode = "400", description = "A bad limit, an unknown parent or a cycle of parents",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson setLimits(@PathParam("name") String name, @HeaderParam("Content-Type") String type, String raw) {
        IndexedText.check("workgroup", name);
        return new RawJson(service.setLimits(name, limits(name, Body.parse(raw, type))));
    }

    private static WorkgroupLimits limits(String name, Body body) {
        Integer maxRunning = body.integer("maxRunning", 1, Integer.MAX_VALUE);
        String parent = IndexedText.check("parent", body.string("parent"));
        if (name.equals(parent)) {
            throw ApiException.badRequest("A workgroup cannot be its own parent");
        }
        return new WorkgroupLimits(body.has("maxRunning"), maxRunning, body.has("rate"), rate(body.json("rate")),
                body.has("parent"), parent);
    }

    private static WorkgroupLimits.Rate rate(JsonNode rate) {
        if (rate == null) {
            return null;
        }
        if (!rate.isObject()) {
            throw ApiException.badRequest("rate must be an object {limit, periodSeconds, burst} or null");
        }
        Body body = Body.of(rate);
        Double limit = positive(body, "limit", Limits.MAX_RATE_UNITS);
        Double period = positive(body, "periodSeconds", Limits.MAX_DELAY_SECONDS);
        if (limit == null || period == null) {
            throw ApiException.badRequest("rate needs limit and periodSeconds");
        }
        Double burst = positive(body, "burst", Limits.MAX_RATE_UNITS);
        return new WorkgroupLimits.Rate(limit, period, burst == null ? limit : burst);
    }

    private static Double positive(Body rate, String field, double max) {
        Double value = rate.number(field);
        if (value != null && (value <= 0 || value > max)) {
            throw ApiException.badRequest("rate." + field + " must be above 0 and at most " + (long) max);
        }
        return value;
    }
}
