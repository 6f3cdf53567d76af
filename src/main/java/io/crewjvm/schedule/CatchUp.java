package io.crewjvm.schedule;

/**
 * What happens to fire times that were missed (the service was down, or the schedule's tick came later than the
 * grace period after them) when the schedule is next looked at.
 */
public enum CatchUp {
    /** Nothing: the schedule goes on from its next fire time. */
    none,
    /** The latest missed fire time runs. */
    latest,
    /** Every missed fire time runs, oldest first, up to the newest {@code CREW_SCHEDULE_CATCH_UP_MAX}. */
    all
}
