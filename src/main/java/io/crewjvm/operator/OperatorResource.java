package io.crewjvm.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.ApiSchemas;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.JsonValues;
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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators: the URLs to which the tasks of a channel are delivered (webhook workers). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator")
@APIResponse(responseCode = "400", description = "Invalid id or body",
        content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
public class OperatorResource {

    private final OperatorService service;
    private final Dispatcher dispatcher;

    OperatorResource(OperatorService service, Dispatcher dispatcher) {
        this.service = service;
        this.dispatcher = dispatcher;
    }

    @GET
    @Path("/operators")
    @Operation(summary = "List operators, newest first", description = "limit 0 means no limit")
    public List<OperatorView> list(@QueryParam("limit") String limit, @QueryParam("skip") String skip) {
        return service.list(Paging.of(limit, skip, 50, false));
    }

    @GET
    @Path("/operators/count")
    @Operation(summary = "Count operators")
    public ApiSchemas.Count count() {
        return new ApiSchemas.Count(service.count());
    }

    @GET
    @Path("/operator/{id}")
    @Operation(summary = "Get an operator")
    @APIResponse(responseCode = "404", description = "No such operator",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public OperatorView get(@PathParam("id") String id) {
        return service.get(Ids.parse(id, "operator id"));
    }

    @POST
    @Path("/operators")
    @Operation(summary = "Create an operator", description = "Ready tasks of the channel are posted to url as "
            + "{input, parents, taskId}; the answer {output, children, error, workgroupDelayInSeconds, "
            + "childrenDelayInSeconds} releases the task. A non-2xx answer, a timeout or a network error fails the "
            + "attempt.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.CreateOperator.class)))
    public OperatorView create(@HeaderParam("Content-Type") String type, String body) {
        OperatorView created = service.create(newOperator(Body.parse(body, type)));
        dispatcher.refresh();
        return created;
    }

    @PUT
    @Path("/operator/{id}")
    @Operation(summary = "Change an operator", description = "Only the fields present change; isPaused stops or "
            + "resumes deliveries (those in flight finish)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ApiSchemas.CreateOperator.class)))
    @APIResponse(responseCode = "404", description = "No such operator",
            content = @Content(schema = @Schema(implementation = ApiSchemas.Message.class)))
    public OperatorView update(@PathParam("id") String id, @HeaderParam("Content-Type") String type, String body) {
        String operatorId = Ids.parse(id, "operator id");
        Body fields = Body.parse(body, type);
        service.get(operatorId); // an operator that does not exist is 404, whatever the body
        OperatorView updated = service.update(operatorId, change(fields));
        dispatcher.refresh();
        return updated;
    }

    @DELETE
    @Path("/operator/{id}")
    @Operation(summary = "Delete an operator", description = "deletedCount is 0 when there was none")
    public ApiSchemas.DeleteResult delete(@PathParam("id") String id) {
        int deleted = service.delete(Ids.parse(id, "operator id"));
        dispatcher.refresh();
        return new ApiSchemas.DeleteResult(true, deleted);
    }

    private static NewOperator newOperator(Body body) {
        return new NewOperator(channel(body), url(body), requestConfig(body), body.bool("isPaused"));
    }

    /** The fields the body names, each validated as on creation. */
    private static OperatorChange change(Body body) {
        String channel = body.has("channel") ? channel(body) : null;
        String url = body.has("url") ? url(body) : null;
        String requestConfig = body.has("requestConfig") ? requestConfig(body) : null;
        Boolean isPaused = body.has("isPaused") ? body.bool("isPaused") : null;
        return new OperatorChange(body.has("channel"), channel, body.has("url"), url,
                body.has("requestConfig"), requestConfig, body.has("isPaused"), isPaused);
    }

    private static String channel(Body body) {
        return IndexedText.check("channel", body.requiredString("channel", "channel is required"));
    }

    private static String url(Body body) {
        String url = body.requiredString("url", "url is required");
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw ApiException.badRequest("url must be an absolute http or https URL: '" + url + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url is not a valid URL: " + e.getMessage());
        }
    }

    /** The requestConfig as JSON text, validated; null when absent or null. */
    private static String requestConfig(Body body) {
        JsonNode config = body.json("requestConfig");
        RequestConfig.validate(config);
        return config == null ? null : JsonValues.write(config);
    }
}
