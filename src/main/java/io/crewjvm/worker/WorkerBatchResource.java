package io.crewjvm.worker;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.JsonRoutes;
import io.crewjvm.metrics.CrewMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Additive endpoints for fast workers: many tasks per acquire, many results per release call. Plain Vert.x routes, as
 * {@link WorkerResource}'s.
 */
@ApplicationScoped
public class WorkerBatchResource {

    static final int MAX_RELEASES = 1000;
    static final String ACQUIRE_BATCH = "/api/v1/channel/{channel}/acquire_batch";
    static final String RELEASE_BATCH = "/api/v1/tasks/release";
    /** The preference of RFC 7240 that asks for a response without the resources' representations. */
    private static final Pattern MINIMAL = Pattern.compile("(^|[,;\\s])return\\s*=\\s*\"?minimal\\b",
            Pattern.CASE_INSENSITIVE);
    private static final CharSequence PREFER = HttpHeaders.createOptimized("Prefer");
    private static final CharSequence PREFERENCE_APPLIED = HttpHeaders.createOptimized("Preference-Applied");
    private static final CharSequence RETURN_MINIMAL = HttpHeaders.createOptimized("return=minimal");

    private final WorkerService service;
    private final LongPoll longPoll;
    private final CrewMetrics metrics;
    private final long maxBodyBytes;

    WorkerBatchResource(WorkerService service, LongPoll longPoll, CrewMetrics metrics,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.service = service;
        this.longPoll = longPoll;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        JsonRoutes.post(router, "/api/v1/channel/:channel/acquire_batch", maxBodyBytes,
                metrics.workerAnswers(ACQUIRE_BATCH), this::acquireBatch);
        JsonRoutes.post(router, RELEASE_BATCH, maxBodyBytes, metrics.workerAnswers(RELEASE_BATCH),
                this::releaseBatch);
    }

    /** {@code {"tasks": [{task, parents}, ...]}}: up to limit tasks of the channel. */
    private void acquireBatch(JsonRoutes.Exchange exchange, String raw, String type) {
        AcquireRequest request = WorkerRequests.acquire(Body.parse(raw, type), true);
        exchange.reply(longPoll.acquireAsync(exchange.pathParam("channel"), request.workerId(), request.limit(),
                        request.leaseSeconds(), request.waitSeconds(), exchange::clientGone)
                .thenApply(leased -> "{\"tasks\":[" + String.join(",", leased) + "]}"));
    }

    /**
     * {@code {"results": [...]}}, in the order of the releases: each with the status it would have had alone, and
     * the task (unless the call asked for a minimal answer) or the message.
     */
    private void releaseBatch(JsonRoutes.Exchange exchange, String raw, String type) {
        List<Body> releases = Body.parse(raw, type).objects("releases");
        if (releases.size() > MAX_RELEASES) {
            throw ApiException.badRequest("releases: at most " + MAX_RELEASES + " per call");
        }
        String prefer = exchange.header(PREFER);
        boolean minimal = prefer != null && MINIMAL.matcher(prefer).find();
        List<ReleaseRequests.BatchItem> items = releases.stream().map(ReleaseRequests::batchItem).toList();
        service.releaseAll(items, !minimal).whenComplete((outcomes, failure) -> {
            if (failure != null) {
                exchange.fail(failure);
            } else if (minimal) {
                exchange.ok(results(releases, outcomes), PREFERENCE_APPLIED, RETURN_MINIMAL);
            } else {
                exchange.ok(results(releases, outcomes));
            }
        });
    }

    /** The results as Crew's JSON writer wrote them: fields that are null left out, the task's document as it is. */
    private static String results(List<Body> releases, List<WorkerService.Outcome> outcomes) {
        StringBuilder json = new StringBuilder("{\"results\":[");
        for (int i = 0; i < releases.size(); i++) {
            JsonNode sent = releases.get(i).json("taskId");
            String taskId = sent == null ? null : sent.asText();
            WorkerService.Outcome outcome = outcomes.get(i);
            json.append(i == 0 ? "{" : ",{");
            if (taskId != null) {
                string(json.append("\"taskId\":"), taskId).append(',');
            }
            if (outcome.error() == null) {
                json.append("\"status\":200");
                if (outcome.task() != null) {
                    json.append(",\"task\":").append(outcome.task());
                }
            } else {
                json.append("\"status\":").append(outcome.error().status());
                if (outcome.error().getMessage() != null) {
                    string(json.append(",\"message\":"), outcome.error().getMessage());
                }
            }
            json.append('}');
        }
        return json.append("]}").toString();
    }

    private static StringBuilder string(StringBuilder json, String value) {
        return json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }
}
