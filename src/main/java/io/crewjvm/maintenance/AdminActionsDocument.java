package io.crewjvm.maintenance;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The maintenance actions in the OpenAPI document, each an operation of its own with its path, summary and
 * parameters. {@link AdminResource} serves the three of them on one route under any HTTP method, as Crew does,
 * which the document would list as {@code /api/v1/{action}} five times over; its operations are hidden and these
 * take their place, under GET (any other method does the same).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class AdminActionsDocument implements OASFilter {

    private static final String ANY_METHOD = " Any HTTP method does the same, as in Crew. For external schedulers "
            + "(CREW_USE_EXTERNAL_CRON=yes switches the service's own schedule off).";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        openApi.getPaths()
                .addPathItem("/api/v1/clean", action("clean", "Delete expired task groups now",
                        "Runs the expired-group cleaner once: deletes up to batch groups created more than "
                                + "CREW_EXPIRED_GROUP_INTERVAL_IN_DAYS days ago, oldest first, never one with a leased "
                                + "task. Does nothing when CREW_CLEAN_EXPIRED_GROUPS is not yes. Call it hourly."
                                + ANY_METHOD,
                        OASFactory.createParameter().name("batch").in(Parameter.In.QUERY)
                                .description("At most this many groups (default: CREW_CLEAN_BATCH_SIZE)")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                                        .minimum(BigDecimal.ONE)
                                        .maximum(BigDecimal.valueOf(10_000)))))
                .addPathItem("/api/v1/bootstrap", action("bootstrap",
                        "Reclaim expired leases and promote due tasks now",
                        "Runs the lease reclaimer and the promotion of due tasks once, for all that is due (Crew's "
                                + "batch is ignored). Call it every few seconds: abandoned tasks come back no later."
                                + ANY_METHOD, null))
                .addPathItem("/api/v1/sync", action("sync", "Resync: reclaim expired leases and promote due tasks now",
                        "Crew resynced the parents' completion here; parent counters are exact in every "
                                + "transaction, so it runs the lease reclaimer and the promotion of due tasks once, as "
                                + "bootstrap does." + ANY_METHOD, null));
    }

    private static PathItem action(String name, String summary, String description, Parameter parameter) {
        APIResponses responses = OASFactory.createAPIResponses().addAPIResponse("200",
                OASFactory.createAPIResponse().description("Done").content(OASFactory.createContent().addMediaType(
                        "application/json", OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .addType(Schema.SchemaType.OBJECT).addProperty("success",
                                        OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN))))));
        if (parameter != null) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse().description("Invalid batch")
                    .content(OASFactory.createContent().addMediaType("application/json", OASFactory
                            .createMediaType().schema(OASFactory.createSchema().ref("Message")))));
        }
        Operation operation = OASFactory.createOperation().operationId(name).summary(summary)
                .description(description).tags(List.of("admin")).responses(responses);
        if (parameter != null) {
            operation.addParameter(parameter);
        }
        return OASFactory.createPathItem().GET(operation);
    }
}
