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
    /** The service took the task back (cancelled, timed out, reclaimed): the execution should stop. */
    private volatile boolean lost;
    /** The loop's thread is executing this task now (guarded by this). */
    private boolean executing;

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

    /** The execution of this task begins on the loop's thread. */
    synchronized void begin() {
        executing = true;
    }

    /** The execution has returned: an interrupt from {@link #stop} can no longer reach it. */
    synchronized void end() {
        executing = false;
    }

    /**
     * The lease is gone for good: the task reads {@link TaskContext#isStopped()} true from now on, and its thread
     * is interrupted while it still executes this task (not another one it went on to).
     */
    synchronized void stop() {
        lost = true;
        if (executing) {
            thread.interrupt();
        }
    }

    boolean isLost() {
        return lost;
    }

    Duration took() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
