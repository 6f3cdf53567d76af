package io.crewjvm.maintenance;

import io.crewjvm.CrewConfig;
import io.crewjvm.api.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Crew's admin endpoints for external schedulers, under any HTTP method as in Crew: {@code clean} runs the
 * expired-group cleaner once; {@code bootstrap} and {@code sync} run the lease reclaimer and the promoter once
 * (readiness and parent completion are kept exact in every transaction, so nothing else needs resyncing). One
 * route serves the three actions and the five methods; the OpenAPI document describes each action on its own
 * instead ({@link AdminActionsDocument}).
 */
@Path("/api/v1/{action: clean|bootstrap|sync}")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);

    private final ExpiredGroupCleaner cleaner;
    private final Reclaimer reclaimer;
    private final Promoter promoter;
    private final CrewConfig config;

    AdminResource(ExpiredGroupCleaner cleaner, Reclaimer reclaimer, Promoter promoter, CrewConfig config) {
        this.cleaner = cleaner;
        this.reclaimer = reclaimer;
        this.promoter = promoter;
        this.config = config;
    }

    @GET
    @Operation(hidden = true)
    public Map<String, Boolean> get(@PathParam("action") String action, @QueryParam("batch") String batch) {
        return run(action, batch);
    }

    @POST
    @Operation(hidden = true)
    public Map<String, Boolean> post(@PathParam("action") String action, @QueryParam("batch") String batch) {
        return run(action, batch);
    }

    @PUT
    @Operation(hidden = true)
    public Map<String, Boolean> put(@PathParam("action") String action, @QueryParam("batch") String batch) {
        return run(action, batch);
    }

    @DELETE
    @Operation(hidden = true)
    public Map<String, Boolean> delete(@PathParam("action") String action, @QueryParam("batch") String batch) {
        return run(action, batch);
    }

    @PATCH
    @Operation(hidden = true)
    public Map<String, Boolean> patch(@PathParam("action") String action, @QueryParam("batch") String batch) {
        return run(action, batch);
    }

    private Map<String, Boolean> run(String action, String batch) {
        if (action.equals("clean")) {
            cleaner.clean(batchSize(batch));
        } else {
            reclaimer.reclaimExpired();
            promoter.promoteDue();
        }
        return SUCCESS;
    }

    private int batchSize(String batch) {
        if (batch == null || batch.isBlank()) {
            return config.cleanBatchSize();
        }
        try {
            int size = Integer.parseInt(batch.trim());
            if (size < 1 || size > 10_000) {
                throw ApiException.badRequest("batch must be between 1 and 10000");
            }
            return size;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("batch must be an integer");
        }
    }
}
