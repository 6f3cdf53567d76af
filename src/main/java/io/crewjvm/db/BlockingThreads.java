package io.crewjvm.db;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.Executor;

/**
 * The threads that may block (Quarkus' worker pool) as an {@link Executor}: where blocking work goes that an event
 * loop starts, such as the statements an {@link AsyncSubmitter} has run for requests that came without a thread.
 */
public final class BlockingThreads {

    public static final Executor EXECUTOR = command -> Infrastructure.getDefaultWorkerPool().execute(command);

    private BlockingThreads() {
    }
}
