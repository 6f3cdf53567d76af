package io.crewjvm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A Server-Sent Events client: records every event and comment of one stream, and waits for one. */
final class EventStreamClient implements AutoCloseable {

    record Event(String name, JsonNode data) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile Stream<String> lines;

    EventStreamClient(URI uri) {
        response = client.sendAsync(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            lines = r.body();
            Thread reader = new Thread(() -> read(r.body()), "sse-" + uri.getPath());
            reader.setDaemon(true);
            reader.start();
        });
    }

    private void read(Stream<String> body) {
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) body::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        record(new Event(name, MAPPER.readTree(data.toString())));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    synchronized (this) {
                        comments.add(line.substring(1).trim());
                        notifyAll();
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException | RuntimeException ended) {
            // the stream closed
        }
    }

    private synchronized void record(Event event) {
        events.add(event);
        notifyAll();
    }

    int status() throws Exception {
        return response.get().statusCode();
    }

    synchronized void awaitComment(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!comments.contains(text)) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no comment '" + text + "' within " + timeout + "; got " + comments);
            }
            wait(left);
        }
    }

    synchronized Event await(String name, Predicate<JsonNode> data, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (Event e : events) {
                if (e.name().equals(name) && data.test(e.data())) {
                    return e;
                }
            }
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("no " + name + " event within " + timeout + "; got " + events);
            }
            wait(left);
        }
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
        response.cancel(true);
    }
}
