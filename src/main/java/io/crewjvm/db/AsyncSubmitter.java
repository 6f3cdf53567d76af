package io.crewjvm.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests to a {@link Combiner} without a waiting thread, from an event loop: it never blocks. It queues the
 * requests and, when a lane is free, hands a runner to the executor; each statement that ends completes the
 * futures of the requests it served, on the thread that ran it.
 *
 * @param <R> a request
 * @param <O> its outcome
 */
public final class AsyncSubmitter<R, O> {

    private final Combiner<R, O> combiner;
    private final Executor executor;

    /** @param executor runs the statements */
    public AsyncSubmitter(Combiner<R, O> combiner, Executor executor) {
        this.combiner = combiner;
        this.executor = executor;
    }

    public CompletableFuture<O> submit(R request) {
        return submitAll(List.of(request)).thenApply(outcomes -> outcomes.get(0));
    }

    /** Serves requests, alone or with others: their outcomes in order, or the first error, complete the future. */
    public CompletableFuture<List<O>> submitAll(List<R> requests) {
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Submission submission = new Submission(requests);
        combiner.enqueue(submission.pending);
        return submission.future;
    }

    /** The requests of one call: its future completes when the last of them is done. */
    private final class Submission {

        final CompletableFuture<List<O>> future = new CompletableFuture<>();
        final List<Queued> pending = new ArrayList<>();
        final AtomicInteger left;

        Submission(List<R> requests) {
            requests.forEach(r -> pending.add(new Queued(r, this)));
            left = new AtomicInteger(requests.size());
        }

        void oneDone() {
            if (left.decrementAndGet() == 0) {
                try {
                    future.complete(Pending.outcomes(pending));
                } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                }
            }
        }
    }

    private final class Queued extends Pending<R, O> {

        private final Submission submission;

        Queued(R request, Submission submission) {
            super(request);
            this.submission = submission;
        }

        @Override
        void wakeRunner() {
            combiner.runOn(executor);
        }

        @Override
        void served() {
            submission.oneDone();
        }
    }
}
