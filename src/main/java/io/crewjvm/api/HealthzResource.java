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

/**
 * Crew's health check. Crew's greeting page at {@code /} is a static file now, the landing page
 * ({@code META-INF/resources/index.html}), styled like the dashboard.
 */
@Path("/healthz")
@Tag(name = "devops")
public class HealthzResource {

    private final AgroalDataSource dataSource;

    HealthzResource(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GET
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
