package io.crewjvm.client;

/**
 * The API's own view of the task's workgroup's budget, as its response headers give it (for example
 * {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}): {@code remaining} units until
 * {@code resetInSeconds} from now. Sent with the release, it lowers the workgroup's budget in the service, so that
 * no worker spends units the API no longer has; with nothing left, a failure costs the task no attempt.
 */
public record WorkgroupBudget(double remaining, int resetInSeconds) {

    public WorkgroupBudget {
        if (remaining < 0 || resetInSeconds < 0) {
            throw new IllegalArgumentException("A budget cannot be negative: " + remaining + " until " + resetInSeconds);
        }
    }
}
