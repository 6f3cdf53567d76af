package io.crewjvm.worker;

import io.crewjvm.api.ApiException;
import io.crewjvm.db.BlockingThreads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * Acquire that may wait: when nothing is ready the request parks until a notification says the channel has a
 * ready task, re-checking every second regardless (a lost notification costs latency, never a task; the
 * re-check also promotes the channel's delayed tasks when they fall due).
 */
@ApplicationScoped
public class LongPoll {

    public static final int MAX_WAIT_SECONDS = 30;
    private static final long RECHECK_MILLIS = 1000;

    private final WorkerService worker;
    private final Waiters waiters;

    LongPoll(WorkerService worker, Waiters waiters) {
        this.worker = worker;
        this.waiters = waiters;
    }

    /**
     * As {@link #acquire}, for a request served from an event loop: one that does not wait holds no thread while its
     * statement waits for its turn and runs; one that waits is served on a worker thread, and stops waiting once
     * {@code clientGone} says its client closed the connection, so that it leases nothing nobody will work on.
     */
    public CompletionStage<List<String>> acquireAsync(String channel, String workerId, int limit,
                                                      Integer leaseSeconds, int waitSeconds,
                                                      BooleanSupplier clientGone) {
        if (waitSeconds > 0) {
            return CompletableFuture.supplyAsync(
                    () -> acquire(channel, workerId, limit, leaseSeconds, waitSeconds, clientGone),
                    BlockingThreads.EXECUTOR);
        }
        return worker.acquireAsync(channel, workerId, limit, leaseSeconds)
                .thenApply(leased -> passOnWhenFull(channel, limit, leased));
    }

    public List<String> acquire(String channel, String workerId, int limit, Integer leaseSeconds, int waitSeconds) {
        return acquire(channel, workerId, limit, leaseSeconds, waitSeconds, () -> false);
    }

    private List<String> acquire(String channel, String workerId, int limit, Integer leaseSeconds, int waitSeconds,
                                 BooleanSupplier clientGone) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            long seen = waiters.generation(channel);
            if (clientGone.getAsBoolean()) {
                // A worker that stopped or died while it waited: what woke it is for another waiter.
                waiters.passOn(channel);
                return List.of();
            }
            List<String> leased = passOnWhenFull(channel, limit,
                    worker.acquire(channel, workerId, limit, leaseSeconds));
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (!leased.isEmpty() || left <= 0 || waiters.isClosed()) {
                return leased;
            }
            try {
                waiters.await(channel, seen, Math.min(left, RECHECK_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "The service is shutting down");
            }
        }
    }

    /** An acquire that got all it asked for may have left more: another waiter of the channel gets to look. */
    private List<String> passOnWhenFull(String channel, int limit, List<String> leased) {
        if (leased.size() == limit) {
            waiters.passOn(channel);
        }
        return leased;
    }
}
