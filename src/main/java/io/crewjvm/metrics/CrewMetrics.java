package io.crewjvm.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The meters that requests and jobs record in memory: no database work, so they may sit on the hot path (one timer
 * record per acquire or release). Tags are bounded: channels, never task ids.
 */
@ApplicationScoped
public class CrewMetrics {

    private final MeterRegistry registry;
    private final Timer acquire;
    private final Timer release;
    private final Counter reclaimed;

    CrewMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.acquire = Timer.builder("crew.acquire").description("Acquire calls, from arrival to answer")
                .publishPercentileHistogram(false).register(registry);
        this.release = Timer.builder("crew.release").description("Release calls, from arrival to answer")
                .register(registry);
        this.reclaimed = Counter.builder("crew.reclaimed.tasks")
                .description("Leases that expired and were taken back by this replica").register(registry);
    }

    public <T> T timeAcquire(Supplier<T> call) {
        return acquire.record(call);
    }

    public <T> CompletionStage<T> timeAcquireAsync(Supplier<CompletionStage<T>> call) {
        return timed(acquire, call);
    }

    public <T> CompletionStage<T> timeReleaseAsync(Supplier<CompletionStage<T>> call) {
        return timed(release, call);
    }

    /**
     * Counts the answers of an endpoint of the worker protocol by status ({@code crew_worker_requests_total{uri,
     * status}}): those endpoints are left out of the per-request HTTP timers, and counted here with one increment of
     * a counter found by index.
     */
    public IntConsumer workerAnswers(String uri) {
        AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);
        return status -> {
            if (status < 100 || status >= 600) {
                return;
            }
            Counter counter = byStatus.get(status);
            if (counter == null) {
                counter = Counter.builder("crew.worker.requests")
                        .description("Answers of the worker protocol's endpoints, by status")
                        .tag("uri", uri).tag("status", Integer.toString(status)).register(registry);
                byStatus.set(status, counter);
            }
            counter.increment();
        };
    }

    public void reclaimed(int tasks) {
        reclaimed.increment(tasks);
    }

    /**
     * An acquire that found ready tasks of a workgroup held by its cap or budget, or by an ancestor's (tagged by the
     * workgroup of the tasks: those with limits, a bounded set).
     */
    public void throttled(String workgroup) {
        registry.counter("crew.workgroup.throttled.acquires", "workgroup", workgroup).increment();
    }

    /** One webhook delivery to an operator of the channel, and whether it came back as a failure. */
    public void operatorCall(String channel, boolean failed) {
        String tag = channel == null ? "" : channel;
        registry.counter("crew.operator.calls", "channel", tag).increment();
        if (failed) {
            registry.counter("crew.operator.failures", "channel", tag).increment();
        }
    }

    private <T> CompletionStage<T> timed(Timer timer, Supplier<CompletionStage<T>> call) {
        Timer.Sample sample = Timer.start(registry);
        return call.get().whenComplete((result, failure) -> sample.stop(timer));
    }
}
