package io.crewjvm.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.function.Supplier;

/**
 * The hot endpoints of the worker protocol are declared non-blocking and hand their work to a worker thread
 * here. A blocking endpoint reads its request body on the worker thread, which asks the event loop for the bytes
 * and sleeps until they come: two more thread switches per request. A non-blocking endpoint has its body read by
 * the event loop before it is invoked.
 */
public final class WorkerThread {

    private WorkerThread() {
    }

    /** The work's result, computed on a worker thread; its exception, if it throws, is mapped like any other. */
    public static <T> Uni<T> run(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
