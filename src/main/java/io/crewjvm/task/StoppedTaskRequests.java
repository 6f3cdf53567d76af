package io.crewjvm.task;

import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.IndexedText;

/** The filter of the view of failed work, read from query parameters or from a bulk retry's body alike. */
public final class StoppedTaskRequests {

    private StoppedTaskRequests() {
    }

    /** {@code state} (failed, the default, or cancelled), {@code channel}, {@code workgroup}, {@code since}. */
    public static StoppedTaskFilter filter(Body body) {
        String state = body.string("state");
        TaskState stopped = state == null ? TaskState.failed : switch (state) {
            case "failed" -> TaskState.failed;
            case "cancelled" -> TaskState.cancelled;
            default -> throw ApiException.badRequest("state must be failed or cancelled");
        };
        return new StoppedTaskFilter(stopped, IndexedText.check("channel", blankToNull(body.string("channel"))),
                IndexedText.check("workgroup", blankToNull(body.string("workgroup"))), body.time("since"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
