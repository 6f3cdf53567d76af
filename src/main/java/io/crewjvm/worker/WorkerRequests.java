package io.crewjvm.worker;

import io.crewjvm.api.Body;
import io.crewjvm.api.Limits;

/** A polling worker's acquires (one task or a batch) and heartbeats, read from their bodies. */
final class WorkerRequests {

    private WorkerRequests() {
    }

    static AcquireRequest acquire(Body body, boolean batch) {
        Integer limit = batch ? body.integer("limit", 1, AcquireRequest.MAX_BATCH) : null;
        Integer wait = body.integer("waitSeconds", 0, LongPoll.MAX_WAIT_SECONDS);
        return new AcquireRequest(
                body.requiredString("workerId", "workerId is required!"),
                limit == null ? (batch ? 10 : 1) : limit,
                body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS),
                wait == null ? 0 : wait);
    }

    static Heartbeat heartbeat(Body body) {
        String workerId = body.requiredString("workerId", "workerId is required!");
        Integer attempt = body.integer("attempt", 1, Integer.MAX_VALUE);
        Integer leaseSeconds = body.integer("leaseSeconds", 1, Limits.MAX_LEASE_SECONDS);
        return new Heartbeat(workerId, attempt, leaseSeconds);
    }
}
