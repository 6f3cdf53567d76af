package io.crewjvm.workgroup;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.RawJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A channel's settings: the order in which acquires hand out its ready tasks across workgroups. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workgroup")
public class ChannelResource {

    private static final Set<String> FAIRNESS = Set.of("none", "workgroup");

    private final WorkgroupService service;

    ChannelResource(WorkgroupService service) {
        this.service = service;
    }

    @GET
    @Path("/channel/{name}")
    @Operation(summary = "Get a channel's settings")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.ChannelFairness.class)))
    public RawJson get(@PathParam("name") String name) {
        return new RawJson(service.channel(IndexedText.check("channel", name)));
    }

    @PUT
    @Path("/channel/{name}")
    @Operation(summary = "Set a channel's fairness across workgroups",
            description = "Body {fairness}: \"workgroup\" hands out the channel's ready tasks round-robin across "
                    + "workgroups within a priority (tasks without a workgroup form one more queue), so that a "
                    + "workgroup with few tasks is not stuck behind one with many; \"none\" (the default) keeps "
                    + "Crew's order: priority, then creation.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.ChannelFairness.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.ChannelFairness.class)))
    @APIResponse(responseCode = "400", description = "An unknown fairness",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public RawJson set(@PathParam("name") String name, @HeaderParam("Content-Type") String type, String raw) {
        IndexedText.check("channel", name);
        String fairness = Body.parse(raw, type).requiredString("fairness", "fairness is required");
        if (!FAIRNESS.contains(fairness)) {
            throw ApiException.badRequest("fairness must be \"workgroup\" or \"none\"");
        }
        return new RawJson(service.setFairness(name, fairness));
    }
}
