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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The REST API of the service as a worker uses it, over the JDK {@link HttpClient}. Error statuses become
 * {@link CrewApiException}; network failures stay {@link IOException}s. Thread-safe.
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
        return send(post(path, body, requestTimeout.plusSeconds(waitSeconds))).thenApply(answer -> {
            List<LeasedTask> tasks = new ArrayList<>();
            if (limit > 1) {
                answer.path("tasks").forEach(acquired -> tasks.add(LeasedTask.of(acquired)));
            } else if (answer.path("task").isObject()) {
                tasks.add(LeasedTask.of(answer));
            }
            return tasks;
        });
    }

    /** Releases one task; the task as it is after the release. */
    public JsonNode release(String taskId, ObjectNode body) throws IOException, InterruptedException {
        return await(send(post("api/v1/task/" + segment(taskId) + "/release", body, requestTimeout)));
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
        await(send(request)).path("results").forEach(result -> results.add(new BatchResult(
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
        return await(send(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build()));
    }

    /** POST of a JSON body (anything Jackson writes) to any path of the API. */
    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return await(send(post(path, Json.tree(body), requestTimeout)));
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private CompletableFuture<JsonNode> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(CrewClient::parse);
    }

    private static JsonNode parse(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(response.body());
        } catch (IOException notJson) {
            if (response.statusCode() >= 300) {
                throw new CrewApiException(response.statusCode(), response.body());
            }
            throw new UncheckedIOException("Not JSON from " + response.uri(), notJson);
        }
        if (response.statusCode() >= 300) {
            JsonNode message = json.path("message");
            throw new CrewApiException(response.statusCode(), message.isTextual() ? message.asText() : json.toString());
        }
        return json;
    }

    /** The answer of a call, with the failure it ended in (network or status) thrown as it was. */
    static <T> T await(CompletableFuture<T> call) throws IOException, InterruptedException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new InterruptedException("The call was cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof CancellationException) {
                throw new InterruptedException("The call was cancelled");
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
