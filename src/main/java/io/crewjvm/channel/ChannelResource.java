package io.crewjvm.channel;

import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Limits;
import io.crewjvm.api.RawJson;
import io.crewjvm.task.TaskRequests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
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

/** A channel's defaults for the retry policy and the execution timeout of its tasks. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channel")
@APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.ChannelSettings.class)))
public class ChannelResource {

    private final ChannelService service;

    ChannelResource(ChannelService service) {
        this.service = service;
    }

    @GET
    @Path("/channel/{channel}/settings")
    @Operation(summary = "Get a channel's defaults", description = "retryPolicy and timeoutSeconds of the channel's "
            + "tasks that set none themselves; null: none (Crew's fixed errorDelayInSeconds, no timeout).")
    public RawJson get(@PathParam("channel") String channel) {
        return new RawJson(service.settings(IndexedText.check("channel", channel)));
    }

    @PUT
    @Path("/channel/{channel}/settings")
    @Operation(summary = "Set a channel's defaults", description = "Body {retryPolicy, timeoutSeconds}; a field "
            + "absent or null clears that default. They apply to the channel's tasks that set none themselves, "
            + "queued ones included: the timeout when an attempt starts, the policy when one fails.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.ChannelSettings.class)))
    @APIResponse(responseCode = "400", description = "Invalid retryPolicy or timeoutSeconds",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson put(@PathParam("channel") String channel, @HeaderParam("Content-Type") String type, String raw) {
        Body body = Body.parse(raw, type);
        ChannelSettings settings = new ChannelSettings(TaskRequests.retryPolicy(body.object("retryPolicy")),
                body.integer("timeoutSeconds", 1, Limits.MAX_LEASE_SECONDS));
        return new RawJson(service.put(IndexedText.check("channel", channel), settings));
    }
}
