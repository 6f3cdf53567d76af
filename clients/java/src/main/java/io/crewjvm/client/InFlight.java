package io.crewjvm.client;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A leased task on its way through a worker loop. Whoever claims it first decides what becomes of it: the loop
 * (it releases the result), the shutdown (it releases a failure for a task that did not finish in time) or a
 * heartbeat that found the lease gone (the result is dropped). Nothing is released twice.
 */
final class InFlight {

    final LeasedTask task;
    final String workerId;
    /** The loop's thread: the shutdown interrupts it when it claims the task from under it. */
    final Thread thread;
    private final long startedNanos = System.nanoTime();
    private final AtomicBoolean claimed = new AtomicBoolean();
    volatile Future<?> heartbeat;

    InFlight(LeasedTask task, String workerId, Thread thread) {
        this.task = task;
        this.workerId = workerId;
        this.thread = thread;
    }

    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    boolean isClaimed() {
        return claimed.get();
    }

    Duration took() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
