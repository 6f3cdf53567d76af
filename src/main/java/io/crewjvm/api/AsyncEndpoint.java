package io.crewjvm.api;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The endpoints of the worker protocol are non-blocking: the event loop reads the whole request body, then the
 * work is handed on without a thread waiting for it (a group-committed statement completes it, see
 * db/AsyncSubmitter) or to a worker thread where it may block. A blocking endpoint would read its body on a worker
 * thread, which wakes the event loop for the bytes and sleeps until they come, and would hold that thread while
 * its statement waits for its turn.
 */
public final class AsyncEndpoint {

    private AsyncEndpoint() {
    }

    /**
     * The response, once the work's stage completes; an exception it throws or completes with is mapped like any
     * other (400 for a bad body, and so on).
     */
    public static <T> Uni<T> of(Supplier<CompletionStage<T>> work) {
        return Uni.createFrom().completionStage(work)
                .onFailure(CompletionException.class).transform(failure -> failure.getCause());
    }
}
