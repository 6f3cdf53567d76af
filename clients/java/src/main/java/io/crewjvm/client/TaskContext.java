package io.crewjvm.client;

/**
 * What a running task may ask about itself from {@link Worker#execute}'s thread. When the service takes the task
 * back (it was cancelled, its attempt timed out, its lease was reclaimed), a heartbeat hears it: the worker drops
 * the result, interrupts the thread and {@link #isStopped()} turns true, so that a task that does not wait on
 * anything interruptible can stop by looking at it.
 */
public final class TaskContext {

    private static final ThreadLocal<InFlight> CURRENT = new ThreadLocal<>();

    private TaskContext() {
    }

    /** True once the service no longer wants this execution's result: stop and return (or throw) soon. */
    public static boolean isStopped() {
        InFlight flight = CURRENT.get();
        return flight != null && flight.isLost();
    }

    static void enter(InFlight flight) {
        CURRENT.set(flight);
    }

    static void leave() {
        CURRENT.remove();
    }
}
