package io.crewjvm.reliability;

/**
 * Sizes of the fault scenarios: small in {@code ./mvnw verify}, the full sizes of reliability.md with
 * {@code ./mvnw verify -Preliability-full} (which sets these properties).
 */
final class Sizes {

    static final int TASKS = Integer.getInteger("crew.reliability.tasks", 1000);
    static final int WORKERS = Integer.getInteger("crew.reliability.workers", 16);

    private Sizes() {
    }
}
