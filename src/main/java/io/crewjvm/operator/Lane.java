package io.crewjvm.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.JsonValues;
import io.crewjvm.metrics.CrewMetrics;
import io.crewjvm.worker.LongPoll;
import io.crewjvm.worker.ReleaseRequests;
import io.crewjvm.worker.WorkerService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers the tasks of one channel to one URL: leases as many tasks as it has free delivery slots (long-polling
 * while there is none), posts each, and releases it with the answer. At most {@code concurrency} deliveries are in
 * flight. The lease outlasts the request timeout, so the answer (or the timeout) is released while the lease is
 * still held; a task whose delivery is cut off by a crash is reclaimed when its lease ends, like any other.
 */
final class Lane implements Runnable {

    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final int WAIT_SECONDS = 5;
    /** Beyond the request timeout, so that the release of a timed-out delivery still holds the lease. */
    private static final int LEASE_MARGIN_SECONDS = 10;

    private final Target target;
    private final LongPoll longPoll;
    private final WorkerService worker;
    private final Webhook webhook;
    private final CrewMetrics metrics;
    private final int concurrency;
    private final Semaphore slots;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastLeaseNanos = System.nanoTime();

    Lane(Target target, LongPoll longPoll, WorkerService worker, Webhook webhook, CrewMetrics metrics, int concurrency) {
        this.target = target;
        this.longPoll = longPoll;
        this.worker = worker;
        this.webhook = webhook;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.thread = new Thread(this, "crew-operator-" + target.key());
        this.thread.setDaemon(true);
    }

    Target target() {
        return target;
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    /** Waits until no delivery is in flight (each answered and released), for at most the given time. */
    boolean awaitIdle(long nanos) throws InterruptedException {
        if (!slots.tryAcquire(concurrency, nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        slots.release(concurrency);
        return true;
    }

    /** True when nothing was leased for {@code nanos} and no delivery is in flight. */
    boolean idleFor(long nanos) {
        return System.nanoTime() - lastLeaseNanos > nanos && slots.availablePermits() == concurrency;
    }

    @Override
    public void run() {
        int leaseSeconds = (int) Math.min(Integer.MAX_VALUE,
                TimeUnit.MILLISECONDS.toSeconds(target.config().timeout().toMillis() + 999) + LEASE_MARGIN_SECONDS);
        while (running) {
            int free;
            try {
                slots.acquire();
                free = 1 + slots.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            List<String> leased = List.of();
            try {
                leased = longPoll.acquire(target.channel(), target.workerId(), free, leaseSeconds, WAIT_SECONDS);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("Operator %s could not lease tasks of channel %s: %s", target.key(), target.channel(),
                            e.getMessage());
                    pause();
                }
            } finally {
                slots.release(free - leased.size());
            }
            if (!leased.isEmpty()) {
                lastLeaseNanos = System.nanoTime();
            }
            for (String document : leased) {
                deliver(document);
            }
        }
    }

    private void deliver(String document) {
        JsonNode leased;
        try {
            leased = JsonValues.read(document); // its input and its parents' outputs go on with numbers as written
        } catch (java.io.IOException e) {
            slots.release();
            LOG.errorf(e, "Unreadable task document from acquire: %s", document);
            return;
        }
        String taskId = leased.path("task").path("_id").asText();
        webhook.deliver(target, leased)
                .whenComplete((release, failure) -> metrics.operatorCall(target.channel(),
                        failure != null || ReleaseRequests.failed(release)))
                .thenCompose(release -> release(taskId, release))
                .whenComplete((ignored, failure) -> {
                    slots.release();
                    if (failure != null) {
                        LOG.warnf(failure, "Release of task %s after its delivery to %s failed; its lease will "
                                + "expire and it will be reclaimed", taskId, target.url());
                    }
                });
    }

    /** Releases with the answer; an answer that is not a valid release fails the attempt, saying why. */
    private CompletionStage<Void> release(String taskId, ObjectNode release) {
        return released(taskId, release).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (!(cause instanceof ApiException e)) {
                return CompletableFuture.failedFuture(cause);
            }
            if (e.status() != 400) {
                LOG.infof("Release of task %s by %s refused (%d): %s", taskId, target.workerId(), e.status(),
                        e.getMessage());
                return CompletableFuture.completedFuture(null);
            }
            ObjectNode invalid = JsonNodeFactory.instance.objectNode();
            invalid.put("workerId", target.workerId());
            invalid.set("attempt", release.get("attempt"));
            invalid.put("error", "Invalid answer from " + target.url() + ": " + e.getMessage());
            return released(taskId, invalid);
        });
    }

    /**
     * The release, done: the answer read as a polling worker's release is; an invalid one (thrown before anything
     * runs) as a failed stage too.
     */
    private CompletionStage<Void> released(String taskId, ObjectNode release) {
        return CompletableFuture.completedFuture(release)
                .thenCompose(answer -> worker.release(taskId, ReleaseRequests.from(taskId, answer)))
                .thenAccept(document -> { });
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
