package io.crewjvm.worker;

import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.JsonRoutes;
import io.crewjvm.db.BlockingThreads;
import io.crewjvm.metrics.CrewMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The polling worker protocol: acquire a task of a channel, extend its lease, release it with a result. Plain Vert.x
 * routes ({@link JsonRoutes}): the event loop reads and parses the body and hands the request on without a thread
 * (acquires and common releases to their group commits), and writes the JSON text the statement built as it is.
 * Their OpenAPI description is in {@code META-INF/openapi.yaml}; their answers are counted by status in
 * {@code crew_worker_requests_total}, not in the per-request HTTP timers.
 */
@ApplicationScoped
public class WorkerResource {

    static final String ACQUIRE = "/api/v1/channel/{channel}/acquire";
    static final String HEARTBEAT = "/api/v1/task/{id}/heartbeat";
    static final String RELEASE = "/api/v1/task/{id}/release";
    private static final String NO_TASK = "{\"task\":null}";

    private final WorkerService service;
    private final LongPoll longPoll;
    private final CrewMetrics metrics;
    private final long maxBodyBytes;

    WorkerResource(WorkerService service, LongPoll longPoll, CrewMetrics metrics,
                   @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.service = service;
        this.longPoll = longPoll;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        JsonRoutes.post(router, "/api/v1/channel/:channel/acquire", maxBodyBytes, metrics.workerAnswers(ACQUIRE),
                this::acquire);
        JsonRoutes.post(router, "/api/v1/task/:id/heartbeat", maxBodyBytes, metrics.workerAnswers(HEARTBEAT),
                this::heartbeat);
        JsonRoutes.post(router, "/api/v1/task/:id/release", maxBodyBytes, metrics.workerAnswers(RELEASE),
                this::release);
    }

    /** The next ready task of the channel, {@code {task, parents}}, or {@code {"task": null}}. */
    private void acquire(JsonRoutes.Exchange exchange, String raw, String type) {
        AcquireRequest request = WorkerRequests.acquire(Body.parse(raw, type), false);
        exchange.reply(longPoll.acquireAsync(exchange.pathParam("channel"), request.workerId(), 1,
                        request.leaseSeconds(), request.waitSeconds(), exchange::clientGone)
                .thenApply(leased -> leased.isEmpty() ? NO_TASK : leased.get(0)));
    }

    /** The task with its lease extended; its statements run on a worker thread. */
    private void heartbeat(JsonRoutes.Exchange exchange, String raw, String type) {
        String id = Ids.parse(exchange.pathParam("id"), "task id");
        Heartbeat heartbeat = WorkerRequests.heartbeat(Body.parse(raw, type));
        exchange.reply(CompletableFuture.supplyAsync(() -> service.heartbeat(id, heartbeat),
                BlockingThreads.EXECUTOR));
    }

    /** The released task's document. */
    private void release(JsonRoutes.Exchange exchange, String raw, String type) {
        String taskId = Ids.parse(exchange.pathParam("id"), "task id");
        exchange.reply(service.release(taskId, ReleaseRequests.from(taskId, Body.parse(raw, type))));
    }
}
