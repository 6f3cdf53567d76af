package io.crewjvm.worker;

import io.crewjvm.api.Body;
import io.crewjvm.api.Limits;

/** A validated acquire: who asks, how many tasks (batch only), lease and long-poll wait. */
record AcquireRequest(String workerId, int limit, Integer leaseSeconds, int waitSeconds) {

    static final int MAX_BATCH = 1000;

    static AcquireRequest from(Body body, boolean batch) {
        Integer limit = batch ? body.integer("limit", 1, MAX_BATCH) : null;
        Integer wait = body.integer("waitSeconds", 0, LongPoll.MAX_WAIT_SECONDS);
        return new AcquireRequest(
                body.requiredString("workerId", "workerId is required!"),
                limit == null ? (batch ? 10 : 1) : limit,
                body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS),
                wait == null ? 0 : wait);
    }
}
