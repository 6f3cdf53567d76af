package io.crewjvm.worker;

/** A validated acquire: who asks, how many tasks (batch only), lease and long-poll wait. */
record AcquireRequest(String workerId, int limit, Integer leaseSeconds, int waitSeconds) {

    static final int MAX_BATCH = 1000;
}
