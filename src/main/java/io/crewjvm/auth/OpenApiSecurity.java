package io.crewjvm.auth;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Declares the bearer scheme in the OpenAPI document (Swagger UI's "Authorize" then sends the token) and requires
 * it everywhere but on the open paths of application.properties.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiSecurity implements OASFilter {

    static final String SCHEME = "bearer";
    /** The documented operations that application.properties leaves open. */
    static final Set<String> OPEN_PATHS = Set.of("/healthz");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(OASFactory.createComponents());
        }
        openApi.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A token of CREW_AUTH_ADMIN_TOKENS (everything) or CREW_AUTH_WORKER_TOKENS (acquire, "
                        + "release, heartbeat, reading tasks). Not needed when no token is configured."));
        openApi.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));
        if (openApi.getPaths() != null) {
            OPEN_PATHS.forEach(path -> {
                PathItem item = openApi.getPaths().getPathItem(path);
                if (item != null) {
                    item.getOperations().values().forEach(operation -> operation.setSecurity(List.of()));
                }
            });
        }
    }
}
