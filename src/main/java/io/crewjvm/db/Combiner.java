package io.crewjvm.db;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Group commit for hot statements (acquire, the common release, the creation of a task). Requests that arrive
 * while {@code lanes} statements are already running wait, and the next free lane serves as many of them as its
 * batch rule admits in one statement: one statement and one commit instead of many, and under load far fewer
 * acquirers skipping each other's locked rows at the head of the ready index, or releases queueing one by one on
 * a fan-in child's row lock. A request that finds a free lane runs at once, alone: batching costs no latency and
 * happens only when requests would wait anyway.
 * <p>
 * Requests may have a serial key: two statements with requests of the same key never run at once, or rather their
 * serial parts: a statement may end its serial part early, and what it does after that (reading what it has just
 * committed, say) overlaps with the next statement of the key. Acquires of a channel are serial, as one statement
 * serving every waiting acquirer of the channel skips no row locked by another, while acquires of other channels
 * still run in parallel. How a failed statement is run again is {@link Batch}'s.
 * <p>
 * Requests come through a front end: {@link BlockingSubmitter} for threads that wait for them, which run
 * statements themselves, and {@link AsyncSubmitter} for requests without a thread, whose statements run on an
 * executor. Both kinds share the queue and the batches.
 *
 * @param <R> a request
 * @param <O> its outcome
 */
public final class Combiner<R, O> {

    /** Serves a batch of requests: element i of its answer is the outcome of request i. */
    @FunctionalInterface
    public interface Statement<R, O> {
        /**
         * @param serialPartDone to call once the rest of the work may overlap with the next statement of the same
         *                       serial keys; calling it is optional, and calling it again does nothing
         */
        List<O> apply(List<R> batch, Runnable serialPartDone);
    }

    private final Statement<R, O> statement;
    private final Supplier<Predicate<R>> batchRule;
    private final Function<R, Object> serialKey;
    private final int lanes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending<R, O>> queue = new ArrayDeque<>();
    private final Set<Object> runningKeys = new HashSet<>();
    private int running;
    /** Runners handed to an executor that have not started yet. */
    private int starting;

    /**
     * @param statement serves a batch of requests
     * @param batchRule a fresh rule for each batch: whether a waiting request may join it (the oldest waiting
     *                  request always starts the batch and is offered first)
     * @param serialKey the request's serial key, or null when it has none
     * @param lanes     how many statements may run at once
     */
    public Combiner(Statement<R, O> statement, Supplier<Predicate<R>> batchRule, Function<R, Object> serialKey,
                    int lanes) {
        this.statement = statement;
        this.batchRule = batchRule;
        this.serialKey = serialKey;
        this.lanes = lanes;
    }

    /** Queues requests and, when a lane is free, wakes the runner of the oldest one that may start a statement. */
    void enqueue(List<? extends Pending<R, O>> requests) {
        lock.lock();
        try {
            queue.addAll(requests);
            wakeNextRunner();
        } finally {
            lock.unlock();
        }
    }

    /**
     * When a lane is free, takes the next batch, runs it on this thread and finishes it; whether it ran one. It
     * runs none when {@code needsNone} holds, checked under the lock.
     */
    boolean runNextBatch(BooleanSupplier needsNone) {
        Batch<R, O> batch;
        lock.lock();
        try {
            if (needsNone.getAsBoolean()) {
                return false;
            }
            batch = start();
        } finally {
            lock.unlock();
        }
        if (batch == null) {
            return false;
        }
        try {
            batch.run(statement);
        } finally {
            finish(batch);
        }
        return true;
    }

    /**
     * Under the lock: hands the executor a runner that serves batches while there are some to serve. Until it
     * starts, it counts as a running statement, so that requests queued meanwhile hand over no more.
     */
    void runOn(Executor executor) {
        starting++;
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            starting--; // shutting down: the request stays queued, like any request the service drops
        }
    }

    /** What a runner handed to the executor does: it serves batches while there are some to take. */
    private void drain() {
        lock.lock();
        try {
            starting--;
        } finally {
            lock.unlock();
        }
        while (runNextBatch(() -> false)) {
            // each pass serves one batch
        }
    }

    /** Under the lock: when a lane is free, takes the next batch and holds its lane and keys; null otherwise. */
    private Batch<R, O> start() {
        List<Pending<R, O>> taken = running < lanes ? take() : List.of();
        if (taken.isEmpty()) {
            return null;
        }
        Batch<R, O> batch = new Batch<>(taken, holdKeys(taken));
        running++;
        wakeNextRunner();
        return batch;
    }

    /** After a statement: frees its lane and keys, then tells the requests it served. */
    private void finish(Batch<R, O> batch) {
        lock.lock();
        try {
            running--;
            batch.serialPartDone.run();
            wakeNextRunner();
        } finally {
            lock.unlock();
        }
        batch.requests.forEach(Pending::served);
    }

    /** When a lane is free, wakes the runner of the oldest waiting request that can start a statement. */
    private void wakeNextRunner() {
        if (running + starting >= lanes) {
            return;
        }
        for (Pending<R, O> next : queue) {
            if (!waitsForItsKey(next)) {
                next.wakeRunner();
                return;
            }
        }
    }

    /**
     * The oldest waiting request whose serial key is not running, and those after it that the batch rule admits;
     * empty when every waiting request has to wait for a running statement of its key.
     */
    private List<Pending<R, O>> take() {
        List<Pending<R, O>> batch = new ArrayList<>();
        Predicate<R> admits = batchRule.get();
        for (Iterator<Pending<R, O>> it = queue.iterator(); it.hasNext(); ) {
            Pending<R, O> next = it.next();
            if (waitsForItsKey(next)) {
                continue;
            }
            if (admits.test(next.request) || batch.isEmpty()) {
                batch.add(next);
                it.remove();
            }
        }
        return batch;
    }

    private boolean waitsForItsKey(Pending<R, O> p) {
        Object key = serialKey.apply(p.request);
        return key != null && runningKeys.contains(key);
    }

    /**
     * Marks the batch's serial keys running (under the lock); what frees them, once, and lets the next statement of
     * those keys start.
     */
    private Runnable holdKeys(List<Pending<R, O>> batch) {
        Set<Object> keys = new HashSet<>();
        for (Pending<R, O> p : batch) {
            Object key = serialKey.apply(p.request);
            if (key != null) {
                keys.add(key);
            }
        }
        runningKeys.addAll(keys);
        AtomicBoolean freed = new AtomicBoolean(keys.isEmpty());
        return () -> {
            if (freed.compareAndSet(false, true)) {
                lock.lock();
                try {
                    runningKeys.removeAll(keys);
                    wakeNextRunner();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
