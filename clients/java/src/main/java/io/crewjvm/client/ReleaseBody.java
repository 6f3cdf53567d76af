package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bodies of {@code POST /api/v1/task/{id}/release}. Each carries the lease's {@code attempt}: a release that
 * is sent again after a lost response applies to that lease only, so it can never end a later one.
 */
final class ReleaseBody {

    private ReleaseBody() {
    }

    static ObjectNode success(String workerId, LeasedTask task, TaskResult result) {
        ObjectNode body = base(workerId, task);
        body.set("output", result.output());
        if (!result.children().isEmpty()) {
            body.set("children", Json.tree(result.children()));
        }
        if (result.childrenDelayInSeconds() > 0) {
            body.put("childrenDelayInSeconds", result.childrenDelayInSeconds());
        }
        if (result.workgroupDelayInSeconds() > 0) {
            body.put("workgroupDelayInSeconds", result.workgroupDelayInSeconds());
        }
        budget(body, result.workgroupBudget());
        return body;
    }

    /**
     * A failure: a {@link TaskError}'s output, else the exception's message. Never a value the service would
     * read as a success (absent, null or false).
     */
    static ObjectNode failure(String workerId, LeasedTask task, Throwable error) {
        ObjectNode body = base(workerId, task);
        JsonNode output = error instanceof TaskError taskError ? taskError.output() : null;
        if (output == null || output.isNull() || (output.isBoolean() && !output.booleanValue())) {
            body.put("error", message(error));
        } else {
            body.set("error", output);
        }
        if (error instanceof TaskError taskError && taskError.workgroupDelayInSeconds() > 0) {
            body.put("workgroupDelayInSeconds", taskError.workgroupDelayInSeconds());
        }
        if (error instanceof TaskError taskError && !taskError.isRetryable()) {
            body.put("retryable", false);
        }
        if (error instanceof TaskError taskError) {
            budget(body, taskError.workgroupBudget());
        }
        return body;
    }

    private static void budget(ObjectNode body, WorkgroupBudget budget) {
        if (budget != null) {
            body.putObject("workgroupBudget").put("remaining", budget.remaining())
                    .put("resetInSeconds", budget.resetInSeconds());
        }
    }

    static boolean isFailure(ObjectNode body) {
        return body.has("error");
    }

    /**
     * What to send instead of a body the service refused (400: children that form a cycle, a string it cannot
     * store...): a plain failure naming the reason, so that the attempt ends now rather than when its lease
     * expires. Null when the body was already that.
     */
    static ObjectNode instead(ObjectNode refused, String reason) {
        if (refused.path("error").isTextual() && !refused.has("workgroupDelayInSeconds")) {
            return null;
        }
        ObjectNode body = Json.object();
        body.set("workerId", refused.get("workerId"));
        if (refused.has("attempt")) {
            body.set("attempt", refused.get("attempt"));
        }
        // Printable ASCII only: the refusal may have been for a character the service cannot store.
        body.put("error", "The service refused the worker's release: " + reason.replaceAll("[^\\x20-\\x7e]", "?"));
        return body;
    }

    private static ObjectNode base(String workerId, LeasedTask task) {
        ObjectNode body = Json.object();
        body.put("workerId", workerId);
        if (task.attempt() != null) {
            body.put("attempt", task.attempt());
        }
        return body;
    }

    private static String message(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getName() : message;
    }
}
