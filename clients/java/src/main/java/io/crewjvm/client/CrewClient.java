package io.crewjvm.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The REST API of the service as a worker uses it, over the JDK {@link HttpClient}. Error statuses become
 * {@link CrewApiException}; network failures stay {@link IOException}s. Thread-safe.
 *
 * <p>A call that its caller waits for runs on the caller's thread ({@link HttpClient#send}). The JDK's
 * {@code sendAsync} hands every answer to the default executor of {@link CompletableFuture}, which on a machine of
 * fewer than three cores (a common pool of one) starts a new thread for each: a thread per call, most of the client's
 * CPU per task. Only the calls whose futures are the API (an acquire a caller may cancel, a heartbeat) use it.
 */
public final class CrewClient {

    /** Time to open a connection: a service that is down is found out quickly. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final Duration requestTimeout;
    // HTTP/1.1: a plain-text HTTP/2 upgrade buys nothing for short JSON calls and confuses some proxies.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param url            the service, e.g. {@code http://localhost:3000/} (Crew's {@code CREW_API_BASE_URL})
     * @param requestTimeout longest wait for an answer (a long-poll adds its own wait to it)
     */
    public CrewClient(URI url, Duration requestTimeout) {
        String text = url.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.requestTimeout = requestTimeout;
    }

    public CrewClient(URI url) {
        this(url, Duration.ofSeconds(30));
    }

    public URI url() {
        return base;
    }

    /**
     * Leases up to {@code limit} ready tasks of a channel ({@code acquire} for one, {@code acquire_batch} for
     * more), waiting up to {@code waitSeconds} for one to become ready. Cancelling the future abandons the call.
     */
    public CompletableFuture<List<LeasedTask>> acquire(String channel, String workerId, int limit,
                                                       Integer leaseSeconds, int waitSeconds) {
        return send(acquireRequest(channel, workerId, limit, leaseSeconds, waitSeconds))
                .thenApply(answer -> leased(answer, limit));
    }

    /**
     * As {@link #acquire}, on the calling thread; interrupting it abandons the call (InterruptedException), as
     * cancelling the future of {@link #acquire} does.
     */
    List<LeasedTask> acquireNow(String channel, String workerId, int limit, Integer leaseSeconds, int waitSeconds)
            throws IOException, InterruptedException {
        return leased(call(acquireRequest(channel, workerId, limit, leaseSeconds, waitSeconds), true), limit);
    }

    private HttpRequest acquireRequest(String channel, String workerId, int limit, Integer leaseSeconds,
                                       int waitSeconds) {
        ObjectNode body = Json.object().put("workerId", workerId);
        if (limit > 1) {
            body.put("limit", limit);
        }
        if (leaseSeconds != null) {
            body.put("leaseSeconds", leaseSeconds);
        }
        if (waitSeconds > 0) {
            body.put("waitSeconds", waitSeconds);
        }
        String path = "api/v1/channel/" + segment(channel) + (limit > 1 ? "/acquire_batch" : "/acquire");
        return post(path, body, requestTimeout.plusSeconds(waitSeconds));
    }

    private static List<LeasedTask> leased(JsonNode answer, int limit) {
        List<LeasedTask> tasks = new ArrayList<>();
        if (limit > 1) {
            answer.path("tasks").forEach(acquired -> tasks.add(LeasedTask.of(acquired)));
        } else if (answer.path("task").isObject()) {
            tasks.add(LeasedTask.of(answer));
        }
        return tasks;
    }

    /** Releases one task; the task as it is after the release. */
    public JsonNode release(String taskId, ObjectNode body) throws IOException, InterruptedException {
        return call(releaseRequest(taskId, body), true);
    }

    /** As {@link #release}, without reading the task from a successful answer (a worker has no use for it). */
    void releaseNow(String taskId, ObjectNode body) throws IOException, InterruptedException {
        call(releaseRequest(taskId, body), false);
    }

    private HttpRequest releaseRequest(String taskId, ObjectNode body) {
        return post("api/v1/task/" + segment(taskId) + "/release", body, requestTimeout);
    }

    /** One element of a batch release's answer: the status that release would have had alone. */
    public record BatchResult(String taskId, int status, String message) {
    }

    /**
     * Releases many tasks in one call ({@code POST /api/v1/tasks/release}, asking for a minimal answer): each
     * body is a release body plus its {@code taskId}. Results come in the same order.
     */
    public List<BatchResult> releaseAll(List<ObjectNode> releases) throws IOException, InterruptedException {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("releases");
        releases.forEach(array::add);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/tasks/release"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        List<BatchResult> results = new ArrayList<>();
        call(request, true).path("results").forEach(result -> results.add(new BatchResult(
                result.path("taskId").asText(), result.path("status").asInt(), result.path("message").asText(null))));
        return results;
    }

    /** Extends the lease of a task; a 409 {@link CrewApiException} means the worker does not hold it any more. */
    public CompletableFuture<JsonNode> heartbeat(String taskId, String workerId, Integer attempt,
                                                 Integer leaseSeconds) {
        ObjectNode body = Json.object().put("workerId", workerId);
        if (attempt != null) {
            body.put("attempt", attempt);
        }
        if (leaseSeconds != null) {
            body.put("leaseSeconds", leaseSeconds);
        }
        return send(post("api/v1/task/" + segment(taskId) + "/heartbeat", body, requestTimeout));
    }

    /** GET of any path of the API, e.g. {@code api/v1/task_group/<id>}. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build(), true);
    }

    /** POST of a JSON body (anything Jackson writes) to any path of the API. */
    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return call(post(path, Json.tree(body), requestTimeout), true);
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private CompletableFuture<JsonNode> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> parse(response));
    }

    /**
     * A call on the calling thread: its answer (an empty object when {@code read} is false and it succeeded); a
     * network failure is thrown as its IOException, an error status as a CrewApiException.
     */
    private JsonNode call(HttpRequest request, boolean read) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (!read && response.statusCode() < 300) {
            return Json.object();
        }
        try {
            return parse(response);
        } catch (UncheckedIOException notJson) {
            throw notJson.getCause();
        }
    }

    private static JsonNode parse(HttpResponse<byte[]> response) {
        JsonNode json;
        byte[] body = response.body();
        try {
            json = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            if (response.statusCode() >= 300) {
                throw new CrewApiException(response.statusCode(), new String(body, StandardCharsets.UTF_8));
            }
            throw new UncheckedIOException("Not JSON from " + response.uri(), notJson);
        }
        if (response.statusCode() >= 300) {
            JsonNode message = json.path("message");
            throw new CrewApiException(response.statusCode(), message.isTextual() ? message.asText() : json.toString());
        }
        return json;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
