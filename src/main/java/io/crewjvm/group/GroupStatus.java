package io.crewjvm.group;

/** What a group is doing, derived from its pause flag and its tasks' states. */
public enum GroupStatus {
    /** No tasks yet. */
    empty,
    /** Tasks remain that can still run. */
    running,
    /** Paused, and not finished. */
    paused,
    /** Every task is complete. */
    complete,
    /** Some task failed and nothing else can run until it is retried or reset. */
    failed,
    /** Some task was cancelled and nothing else can run until it is retried or reset. */
    cancelled;

    static GroupStatus of(boolean paused, TaskCounts counts) {
        int total = counts.total();
        if (total == 0) {
            return paused ? GroupStatus.paused : empty;
        }
        if (counts.count("complete") == total) {
            return complete;
        }
        int live = counts.count("waiting") + counts.count("scheduled") + counts.count("ready")
                + counts.count("running");
        if (live == 0 && counts.count("cancelled") > 0) {
            return cancelled;
        }
        if (live == 0 && counts.count("failed") > 0) {
            return failed;
        }
        return paused ? GroupStatus.paused : running;
    }
}
