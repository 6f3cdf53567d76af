package io.crewjvm.client;

import java.time.Duration;

/** What a {@link WorkerGroup} tells about its work: tasks taken and released, and trouble on the way. */
public interface TaskListener {

    void taken(String workerId, LeasedTask task);

    void released(String workerId, LeasedTask task, Released outcome, Duration took);

    /** The service could not be reached or refused a call; the worker keeps trying. */
    void trouble(String workerId, String what, Throwable cause);
}
