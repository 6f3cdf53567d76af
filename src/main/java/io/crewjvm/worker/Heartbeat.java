package io.crewjvm.worker;

/** A validated heartbeat: the worker that holds the task (and attempt), and the lease it asks for. */
public record Heartbeat(String workerId, Integer attempt, Integer leaseSeconds) {
}
