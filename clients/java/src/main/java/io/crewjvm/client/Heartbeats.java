package io.crewjvm.client;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Extends the lease of every task a group holds, four times per lease, so that a task may run longer than its
 * lease and the lease can stay short (a dead worker's tasks come back soon), and a task cancelled or timed out is
 * heard of within a third of the lease, round trip included. A heartbeat refused with 409 means
 * the task was reclaimed, reset or cancelled, or its attempt timed out: its result would be refused too, so it is
 * dropped at once and the execution is told to stop ({@link TaskContext#isStopped()}, and an interrupt).
 */
final class Heartbeats implements AutoCloseable {

    private static final long MIN_PERIOD_MILLIS = 200;
    private static final int BEATS_PER_LEASE = 4;

    private final CrewClient client;
    private final Integer leaseSeconds;
    private final TaskListener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "crew-heartbeats");
        thread.setDaemon(true);
        return thread;
    });

    Heartbeats(CrewClient client, Integer leaseSeconds, TaskListener listener) {
        this.client = client;
        this.leaseSeconds = leaseSeconds;
        this.listener = listener;
    }

    /** Starts beating for a task, unless the service gave it no lease (Crew 1.0.25 has neither). */
    void start(InFlight flight) {
        Duration lease = leaseSeconds != null ? Duration.ofSeconds(leaseSeconds) : flight.task.lease();
        if (lease == null) {
            return;
        }
        long period = Math.max(MIN_PERIOD_MILLIS, lease.toMillis() / BEATS_PER_LEASE);
        flight.heartbeat = timer.scheduleAtFixedRate(() -> beat(flight), period, period, TimeUnit.MILLISECONDS);
    }

    void stop(InFlight flight) {
        if (flight.heartbeat != null) {
            flight.heartbeat.cancel(false);
        }
    }

    private void beat(InFlight flight) {
        client.heartbeat(flight.task.id(), flight.workerId, flight.task.attempt(), leaseSeconds)
                .whenComplete((task, failure) -> {
                    if (failure == null) {
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof CrewApiException api && (api.status() == 409 || api.status() == 404)) {
                        stop(flight);
                        flight.stop();
                        if (flight.claim()) {
                            listener.released(flight.workerId, flight.task,
                                    Released.dropped("the lease was lost (" + api.getMessage() + ")"), flight.took());
                        }
                    } else if (!flight.isClaimed()) {
                        listener.trouble(flight.workerId, "heartbeat of " + flight.task.id() + " failed", cause);
                    }
                });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
