package io.crewjvm.api;

import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Crew's greeting page (its "my UI" is the dashboard) and its health check. */
@Path("/")
@Tag(name = "devops")
public class RootResource {

    private final AgroalDataSource dataSource;

    RootResource(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Greeting page")
    public String hello() {
        return "<html><body>Hi!  I'm Crew.  You'll need to use my <a href=\"./api-docs\">API</a> or "
                + "<a href=\"./dashboard/\">my UI</a> to see what is going on.</body></html>";
    }

    @GET
    @Path("healthz")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Health: whether the database answers")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Health.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ApiSchemas.Health.class)))
    public Response health() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return Response.ok(new ApiSchemas.Health(true)).build();
        } catch (SQLException e) {
            return Response.status(503).entity(new ApiSchemas.Health(false)).build();
        }
    }
}
