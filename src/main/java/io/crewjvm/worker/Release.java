package io.crewjvm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.task.NewTask;
import io.crewjvm.workgroup.BudgetReport;
import java.util.List;

/**
 * A validated release, of a polling worker or of an operator's webhook answer (both read by
 * {@link ReleaseRequests}). {@code error} decides the outcome: null is a success, anything else a failure (see
 * {@link ReleaseRequests#error}). The children of a success are validated and wired to the released task; a
 * failure has none. A permanent failure (the worker said the error is not retryable) ends the task's attempts.
 */
public record Release(String workerId, Integer attempt, JsonNode error, boolean permanent, JsonNode output,
                      List<NewTask> children, int workgroupDelayInSeconds, int childrenDelayInSeconds,
                      BudgetReport workgroupBudget) {

    public boolean failed() {
        return error != null;
    }

    /** A success with nothing but an output: eligible for the one-statement release. */
    boolean isSimpleSuccess() {
        return !failed() && children.isEmpty() && workgroupDelayInSeconds == 0 && childrenDelayInSeconds == 0
                && workgroupBudget == null;
    }

    /** The workgroup's budget is spent by the API's own account: like a workgroup delay, a failure costs no attempt. */
    boolean reportsBudgetSpent() {
        return workgroupBudget != null && workgroupBudget.remaining() < 1;
    }
}
