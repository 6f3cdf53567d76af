package io.crewjvm.db;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 * still run in parallel.
 * <p>
 * The statement answers each request of a batch as if it had run alone (element i answers request i). When a
 * statement of several requests fails, each of them is run again alone, one after the other and with the
 * statement's serial keys held until the last, so that one bad request cannot fail the others; unless the database
 * cannot be reached, which every one of them would only wait for in turn, or the statement had ended its serial
 * part, which has committed its work: running it again would do that work twice.
 * <p>
 * Requests come from threads that wait for them ({@link #submitAll}), which run statements themselves, or
 * without a thread ({@link #submitAllAsync}, from an event loop): a free lane then runs their statements on the
 * executor, and each finished statement completes their futures. Both kinds share the queue and the batches.
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

    /** One request waiting for its statement: its outcome, once a lane has run it. */
    private static final class Pending<R, O> {
        final R request;
        /**
         * The thread that submitted the request, parked until it is done or may run the next statement; null for
         * an asynchronous submission.
         */
        final Thread owner;
        /** The asynchronous submission the request belongs to, or null. */
        final Submission<R, O> submission;
        /** Set last, outside the lock: volatile, so that whoever sees it also sees the outcome or error. */
        volatile boolean done;
        O outcome;
        Throwable error;

        Pending(R request, Thread owner, Submission<R, O> submission) {
            this.request = request;
            this.owner = owner;
            this.submission = submission;
        }
    }

    /** The requests of one asynchronous submission: its future completes when the last of them is done. */
    private static final class Submission<R, O> {
        final CompletableFuture<List<O>> future = new CompletableFuture<>();
        final List<Pending<R, O>> pending = new ArrayList<>();
        final AtomicInteger left;

        Submission(int size) {
            left = new AtomicInteger(size);
        }

        void oneDone() {
            if (left.decrementAndGet() == 0) {
                try {
                    future.complete(outcomes(pending));
                } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                }
            }
        }
    }

    private final Statement<R, O> statement;
    private final Supplier<Predicate<R>> batchRule;
    private final Function<R, Object> serialKey;
    private final int lanes;
    private final Executor executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending<R, O>> queue = new ArrayDeque<>();
    private final Set<Object> runningKeys = new HashSet<>();
    private int running;
    /** Statements handed to the executor for asynchronous requests that have not started yet. */
    private int starting;

    /**
     * @param statement serves a batch of requests
     * @param batchRule a fresh rule for each batch: whether a waiting request may join it (the oldest waiting
     *                  request always starts the batch and is offered first)
     * @param serialKey the request's serial key, or null when it has none
     * @param lanes     how many statements may run at once
     * @param executor  runs the statements of asynchronous requests
     */
    public Combiner(Statement<R, O> statement, Supplier<Predicate<R>> batchRule, Function<R, Object> serialKey,
             int lanes, Executor executor) {
        this.statement = statement;
        this.batchRule = batchRule;
        this.serialKey = serialKey;
        this.lanes = lanes;
        this.executor = executor;
    }

    public O submit(R request) {
        return submitAll(List.of(request)).get(0);
    }

    /**
     * Serves requests, alone or with others; their outcomes in order (the first error, if any, is thrown). The
     * calling thread runs statements itself while lanes are free; otherwise it sleeps until its requests are done,
     * or until it is the one to run the next statement. Wake-ups are targeted, and direct: under load dozens of
     * threads wait; the runner unparks the owners of the requests it served, and they return without taking the
     * lock again, where waking them through a condition of the lock made them take it one after another, each
     * woken only once the previous one had run.
     */
    public List<O> submitAll(List<R> requests) {
        Thread me = Thread.currentThread();
        List<Pending<R, O>> mine = requests.stream().map(r -> new Pending<R, O>(r, me, null)).toList();
        lock.lock();
        try {
            queue.addAll(mine);
        } finally {
            lock.unlock();
        }
        while (!mine.stream().allMatch(p -> p.done)) {
            Started<R, O> started;
            lock.lock();
            try {
                // Again under the lock: a park on the way here (for the lock, or in a statement this thread ran)
                // may have used up the wake-up that told it its requests were done.
                if (mine.stream().allMatch(p -> p.done)) {
                    break;
                }
                started = start();
            } finally {
                lock.unlock();
            }
            if (started == null) {
                // A wake-up given since the check under the lock (the requests done, or this thread's turn to run)
                // makes park return at once.
                LockSupport.park(this);
                continue;
            }
            runAndFinish(started, me);
        }
        return outcomes(mine);
    }

    /**
     * Serves requests without a waiting thread: their outcomes in order, or the first error, complete the future
     * on the thread that ran their statement. Called from an event loop, it never blocks: it queues the requests
     * and, when a lane is free, hands a statement to the executor.
     */
    public CompletableFuture<List<O>> submitAllAsync(List<R> requests) {
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Submission<R, O> submission = new Submission<>(requests.size());
        requests.forEach(r -> submission.pending.add(new Pending<>(r, null, submission)));
        lock.lock();
        try {
            queue.addAll(submission.pending);
            wakeNextRunner();
        } finally {
            lock.unlock();
        }
        return submission.future;
    }

    /** A statement for asynchronous requests, on the executor: it serves batches while there are some to serve. */
    private void drain() {
        lock.lock();
        try {
            starting--;
        } finally {
            lock.unlock();
        }
        while (true) {
            Started<R, O> started;
            lock.lock();
            try {
                started = start();
            } finally {
                lock.unlock();
            }
            if (started == null) {
                return;
            }
            runAndFinish(started, null);
        }
    }

    /** A batch taken from the queue, with its lane held, and what frees its serial keys. */
    private record Started<R, O>(List<Pending<R, O>> batch, Runnable serialPartDone) {
    }

    /** Under the lock: when a lane is free, takes the next batch and holds its lane and keys; null otherwise. */
    private Started<R, O> start() {
        List<Pending<R, O>> batch = running < lanes ? take() : List.of();
        if (batch.isEmpty()) {
            return null;
        }
        Runnable serialPartDone = holdKeys(batch);
        running++;
        wakeNextRunner();
        return new Started<>(batch, serialPartDone);
    }

    /** Runs a started batch on this thread ({@code runner}, null for the executor's), then finishes it. */
    private void runAndFinish(Started<R, O> started, Thread runner) {
        try {
            run(started.batch(), started.serialPartDone());
        } finally {
            finish(started.batch(), started.serialPartDone(), runner);
        }
    }

    /** After a statement: frees its lane and keys, then wakes the threads it served and completes the futures. */
    private void finish(List<Pending<R, O>> batch, Runnable serialPartDone, Thread runner) {
        lock.lock();
        try {
            running--;
            serialPartDone.run();
            wakeNextRunner();
        } finally {
            lock.unlock();
        }
        batch.stream().map(p -> p.owner).filter(owner -> owner != null && owner != runner).distinct()
                .forEach(LockSupport::unpark);
        batch.stream().filter(p -> p.submission != null).forEach(p -> p.submission.oneDone());
    }

    /** The outcomes of done requests, in order; the first error, if any, is thrown. */
    private static <R, O> List<O> outcomes(List<Pending<R, O>> done) {
        Object[] outcomes = new Object[done.size()];
        for (int i = 0; i < outcomes.length; i++) {
            Throwable error = done.get(i).error;
            if (error instanceof RuntimeException e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            outcomes[i] = done.get(i).outcome;
        }
        @SuppressWarnings("unchecked")
        List<O> answer = (List<O>) Arrays.asList(outcomes);
        return answer;
    }

    /**
     * When a lane is free, wakes the thread of the oldest waiting request that can start a statement, or, for an
     * asynchronous request, hands a statement to the executor (unless one handed over already has yet to start).
     */
    private void wakeNextRunner() {
        if (running + starting >= lanes) {
            return;
        }
        for (Pending<R, O> next : queue) {
            Object key = serialKey.apply(next.request);
            if (key == null || !runningKeys.contains(key)) {
                if (next.owner != null) {
                    LockSupport.unpark(next.owner);
                } else {
                    starting++;
                    try {
                        executor.execute(this::drain);
                    } catch (RejectedExecutionException e) {
                        starting--; // shutting down: the request stays queued, like any request the service drops
                    }
                }
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
            Object key = serialKey.apply(next.request);
            if (key != null && runningKeys.contains(key)) {
                continue;
            }
            if (admits.test(next.request) || batch.isEmpty()) {
                batch.add(next);
                it.remove();
            }
        }
        return batch;
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

    /**
     * Runs a batch outside the lock and records each outcome or error; the caller publishes them. Whatever
     * happens, each request of the batch is done afterwards, so that no caller waits forever.
     */
    private void run(List<Pending<R, O>> batch, Runnable serialPartDone) {
        AtomicBoolean serialPartEnded = new AtomicBoolean();
        try {
            List<O> outcomes = statement.apply(batch.stream().map(p -> p.request).toList(), () -> {
                serialPartEnded.set(true);
                serialPartDone.run();
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome = outcomes.get(i);
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1 || serialPartEnded.get() || SqlStates.isUnavailable(e)) {
                batch.forEach(p -> p.error = e);
            } else {
                runEachAlone(batch, serialPartDone);
            }
        } catch (Error e) {
            batch.forEach(p -> p.error = e);
            throw e;
        } finally {
            for (Pending<R, O> p : batch) {
                p.done = true;
            }
        }
    }

    /**
     * Runs each request of a failed batch again alone, one after the other, with the batch's serial keys held: only
     * the last may end the serial part, as one before it that did would let the next statement of those keys run
     * beside the re-runs still to come.
     */
    private void runEachAlone(List<Pending<R, O>> batch, Runnable serialPartDone) {
        Runnable keysStillHeld = () -> { };
        for (int i = 0; i < batch.size(); i++) {
            runAlone(batch.get(i), i == batch.size() - 1 ? serialPartDone : keysStillHeld);
        }
    }

    private void runAlone(Pending<R, O> p, Runnable serialPartDone) {
        try {
            p.outcome = statement.apply(List.of(p.request), serialPartDone).get(0);
        } catch (RuntimeException e) {
            p.error = e;
        }
    }
}
