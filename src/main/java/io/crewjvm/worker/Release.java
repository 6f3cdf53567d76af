package io.crewjvm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.Body;
import io.crewjvm.api.Limits;
import java.util.List;

/**
 * A validated release. {@code error} decides the outcome: absent, null or false is a success; anything else
 * (a message, an object, even "") is a failure. Crew 1.0.25 treated every falsy value as success, so an
 * empty error message from a worker silently completed the task.
 */
record Release(String workerId, Integer attempt, JsonNode error, JsonNode output, List<Body> children,
               int workgroupDelayInSeconds, int childrenDelayInSeconds) {

    static Release from(Body body) {
        JsonNode error = body.json("error");
        if (error != null && error.isBoolean() && !error.booleanValue()) {
            error = null;
        }
        Integer workgroupDelay = body.integer("workgroupDelayInSeconds", 0, Limits.MAX_DELAY_SECONDS);
        Integer childrenDelay = body.integer("childrenDelayInSeconds", 0, Limits.MAX_DELAY_SECONDS);
        return new Release(
                body.requiredString("workerId", "workerId is required!"),
                body.integer("attempt", 1, Integer.MAX_VALUE),
                error,
                body.json("output"),
                body.objects("children"),
                workgroupDelay == null ? 0 : workgroupDelay,
                childrenDelay == null ? 0 : childrenDelay);
    }

    boolean failed() {
        return error != null;
    }

    /** A success with nothing but an output: eligible for the one-statement release. */
    boolean isSimpleSuccess() {
        return !failed() && children.isEmpty() && workgroupDelayInSeconds == 0 && childrenDelayInSeconds == 0;
    }
}
