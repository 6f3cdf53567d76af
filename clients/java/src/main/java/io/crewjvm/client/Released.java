package io.crewjvm.client;

/**
 * How the release of a task ended.
 *
 * @param detail why, for {@link Kind#DROPPED}; what happened on the way otherwise (or null)
 */
public record Released(Kind kind, String detail) {

    public enum Kind {
        /** The service completed the task with the worker's result. */
        COMPLETED,
        /** The service recorded the worker's error: the task retries, or failed for good. */
        FAILED,
        /**
         * The result was not recorded: the lease was lost (reclaimed, reset), the task deleted, or the service
         * out of reach until the worker gave up. The service runs the task again if it still needs to.
         */
        DROPPED
    }

    static Released dropped(String why) {
        return new Released(Kind.DROPPED, why);
    }
}
