package io.crewjvm.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.Limits;
import io.crewjvm.task.ChildRequests;
import io.crewjvm.task.NewTask;
import io.crewjvm.workgroup.BudgetReport;
import java.util.List;

/**
 * Releases read from their bodies: a polling worker's (one, or each of a batch), or an operator webhook's answer,
 * all by the same rules.
 */
public final class ReleaseRequests {

    private ReleaseRequests() {
    }

    /** One element of a batch release: the task and its release, or the error that element answers. */
    public record BatchItem(String taskId, Release release, ApiException invalid) {
    }

    /** The release of task {@code taskId}, with its children validated (those of a success). */
    public static Release from(String taskId, Body body) {
        JsonNode error = error(body.json("error"));
        Boolean retryable = body.bool("retryable");
        if (retryable != null && !retryable && error == null) {
            throw ApiException.badRequest("retryable: false goes with an error (a release without one is a success)");
        }
        Integer workgroupDelay = body.integer("workgroupDelayInSeconds", 0, Limits.MAX_DELAY_SECONDS);
        Integer childrenDelay = body.integer("childrenDelayInSeconds", 0, Limits.MAX_DELAY_SECONDS);
        String workerId = body.requiredString("workerId", "workerId is required!");
        Integer attempt = body.integer("attempt", 1, Integer.MAX_VALUE);
        JsonNode output = body.json("output");
        List<Body> children = body.objects("children");
        List<NewTask> tasks = error != null ? List.of() : ChildRequests.of(children, taskId);
        return new Release(workerId, attempt, error, retryable != null && !retryable, output, tasks,
                workgroupDelay == null ? 0 : workgroupDelay,
                childrenDelay == null ? 0 : childrenDelay,
                budget(body.json("workgroupBudget")));
    }

    /** {@code workgroupBudget: {remaining, resetInSeconds}}: the API's own view of the workgroup's budget. */
    private static BudgetReport budget(JsonNode report) {
        if (report == null) {
            return null;
        }
        if (!report.isObject()) {
            throw ApiException.badRequest("workgroupBudget must be an object {remaining, resetInSeconds}");
        }
        Body budget = Body.of(report);
        Double remaining = budget.number("remaining");
        Integer reset = budget.integer("resetInSeconds", 0, Limits.MAX_DELAY_SECONDS);
        if (remaining == null || remaining < 0 || reset == null) {
            throw ApiException.badRequest("workgroupBudget needs remaining (0 or more) and resetInSeconds (0 to "
                    + Limits.MAX_DELAY_SECONDS + ")");
        }
        return new BudgetReport(remaining, reset);
    }

    /** An operator webhook's answer, read as a worker's release body is. */
    public static Release from(String taskId, JsonNode answer) {
        return from(taskId, Body.of(answer));
    }

    /** An element of {@code {releases: [...]}}: its {@code taskId}, then its release. */
    public static BatchItem batchItem(Body body) {
        String taskId = null;
        try {
            taskId = Ids.parse(body.string("taskId"), "taskId");
            return new BatchItem(taskId, from(taskId, body), null);
        } catch (ApiException e) {
            return new BatchItem(taskId, null, e);
        }
    }

    /**
     * Whether an answer is a failure, by the rule of {@link #error}: an {@code error} that is present and not null
     * or false.
     */
    public static boolean failed(JsonNode answer) {
        return error(answer.get("error")) != null;
    }

    /**
     * The error a release reports: absent, null or false is none (a success); anything else (a message, an object,
     * even "") is a failure. Crew 1.0.25 treated every falsy value as success, so an empty error message from a
     * worker silently completed the task.
     */
    static JsonNode error(JsonNode sent) {
        if (sent == null || sent.isNull() || sent.isBoolean() && !sent.booleanValue()) {
            return null;
        }
        return sent;
    }
}
