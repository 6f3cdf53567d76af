package io.crewjvm.schedule;

/** What a fire time does while the group of the schedule's previous run is unfinished. */
public enum Overlap {
    /** Creates its group anyway. */
    allow,
    /** Creates none, and records the fire time as skipped. */
    skip
}
