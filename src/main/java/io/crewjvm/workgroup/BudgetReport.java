package io.crewjvm.workgroup;

/**
 * The API's own view of a workgroup's budget, as a release reports it (from headers such as X-RateLimit-Remaining
 * and X-RateLimit-Reset): {@code remaining} units until {@code resetInSeconds} from now.
 */
public record BudgetReport(double remaining, int resetInSeconds) {
}
