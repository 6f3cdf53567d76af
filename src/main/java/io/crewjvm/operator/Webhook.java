package io.crewjvm.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.api.JsonValues;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One delivery of a leased task to an operator's URL, as Crew made it: POST {@code {input, parents, taskId}}, and
 * the answer read as the task's release. A 2xx answer's {@code error, output, children, workgroupDelayInSeconds,
 * childrenDelayInSeconds} are the release (a truthy error makes it a failure); any other status, a timeout or a
 * network error is a failure whose message is the answer's {@code error}, else its {@code message}, else what
 * went wrong.
 */
final class Webhook {

    private static final String[] RELEASE_FIELDS =
            {"error", "output", "children", "workgroupDelayInSeconds", "childrenDelayInSeconds"};

    private final HttpClient client;

    Webhook(HttpClient client) {
        this.client = client;
    }

    /** Posts a leased {@code {task, parents}} document; completes (never exceptionally) with the release body. */
    CompletableFuture<ObjectNode> deliver(Target target, JsonNode leased) {
        JsonNode task = leased.get("task");
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.set("input", task.get("input"));
        payload.set("parents", leased.get("parents"));
        payload.set("taskId", task.get("_id"));
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(target.config().timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.toString()));
        target.config().headers().forEach(request::setHeader);
        ObjectNode release = JsonNodeFactory.instance.objectNode();
        release.put("workerId", target.workerId());
        release.set("attempt", task.get("attempt"));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure == null
                        ? answer(release, response.statusCode(), response.body())
                        : release.put("error", describe(failure, target)));
    }

    private static ObjectNode answer(ObjectNode release, int status, String body) {
        JsonNode data = parse(body);
        if (status >= 200 && status < 300) {
            if (data.isObject()) {
                for (String field : RELEASE_FIELDS) {
                    if (data.has(field)) {
                        release.set(field, data.get(field));
                    }
                }
            }
            return release;
        }
        JsonNode error = data.path("error");
        if (error.isMissingNode() || error.isNull()) {
            error = data.path("message");
        }
        if (error.isMissingNode() || error.isNull()) {
            return release.put("error", "Request failed with status code " + status);
        }
        return release.set("error", error);
    }

    /** The answer, read as a release body is (its output is stored with numbers as written). */
    private static JsonNode parse(String body) {
        try {
            JsonNode data = body == null || body.isBlank() ? null : JsonValues.read(body);
            return data == null ? MissingNode.getInstance() : data;
        } catch (java.io.IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static String describe(Throwable failure, Target target) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "timeout of " + target.config().timeout().toMillis() + "ms exceeded";
        }
        String message = cause.getMessage();
        return "Request to " + target.url() + " failed: "
                + (message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }
}
