package io.crewjvm.api;

/** Bounds of the durations a request may give: beyond them a value is a mistake, and the answer a 400. */
public final class Limits {

    private static final int DAY_SECONDS = 86_400;

    /** A lease (leaseSeconds of a task, an acquire, a heartbeat): at most 30 days. */
    public static final int MAX_LEASE_SECONDS = 30 * DAY_SECONDS;

    /** A delay or a pause (error, workgroup and children's delays, workgroup pauses): at most a year. */
    public static final int MAX_DELAY_SECONDS = 366 * DAY_SECONDS;

    /** The units one task may spend from its workgroup's budget, and the most a budget may hold or refill. */
    public static final int MAX_RATE_UNITS = 1_000_000;

    private Limits() {
    }
}
