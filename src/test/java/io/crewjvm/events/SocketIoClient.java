package io.crewjvm.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.NpmPackage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real socket.io-client 4.4.1 from npm, in a Node.js process of its own (compat/socketio/client.js): commands
 * go to its standard input, and each thing it sees comes back as one JSON line, kept in arrival order.
 */
public final class SocketIoClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer input;
    private final List<JsonNode> seen = new ArrayList<>();
    private final StringBuilder errors = new StringBuilder();

    private SocketIoClient(Process process) {
        this.process = process;
        this.input = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "socket.io-client-output");
        reader.setDaemon(true);
        reader.start();
        Thread stderr = new Thread(this::readErrors, "socket.io-client-errors");
        stderr.setDaemon(true);
        stderr.start();
    }

    /** Connects to the service at base with socket.io-client's options (a JSON object: transports, auth, ...). */
    public static SocketIoClient connect(URI base, String options) throws IOException, InterruptedException {
        Path dir = NpmPackage.ready(Path.of("compat/socketio"), "socket.io-client");
        return new SocketIoClient(new ProcessBuilder("node", "client.js", base.toString(), options)
                .directory(dir.toFile()).start());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                JsonNode node = JSON.readTree(line);
                synchronized (this) {
                    seen.add(node);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void readErrors() {
        try (BufferedReader lines = process.errorReader(StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (this) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    public void command(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    /** Waits for the first line, counting from the start, that matches; fails with everything seen if none. */
    public synchronized JsonNode await(String what, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (JsonNode line : seen) {
                if (match.test(line)) {
                    return line;
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("socket.io-client did not see " + what + " within " + WAIT.toSeconds()
                        + " s; it saw:\n" + describe());
            }
            wait(left);
        }
    }

    /** Waits for an event of that name whose payload matches. */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> payload) throws InterruptedException {
        return await(event, line -> event.equals(line.path("event").asText()) && payload.test(line.path("data")))
                .path("data");
    }

    /** Emits watchTaskGroup with an acknowledgement and waits for it; the acknowledgement's error, or null. */
    public JsonNode watch(String group) throws IOException, InterruptedException {
        return acknowledged("watch", group);
    }

    public JsonNode unwatch(String group) throws IOException, InterruptedException {
        return acknowledged("unwatch", group);
    }

    private JsonNode acknowledged(String command, String group) throws IOException, InterruptedException {
        int before = size();
        command(command + " " + group);
        JsonNode error = await(command + " acknowledged", new Predicate<>() {
            private int index;

            @Override
            public boolean test(JsonNode line) {
                return index++ >= before && command.equals(line.path("ack").asText())
                        && group.equals(line.path("id").asText());
            }
        }).path("error");
        return error.isNull() ? null : error;
    }

    public synchronized int size() {
        return seen.size();
    }

    /** Every line seen so far. */
    public synchronized List<JsonNode> seen() {
        return List.copyOf(seen);
    }

    public synchronized String describe() {
        StringBuilder text = new StringBuilder();
        seen.forEach(line -> text.append(line).append('\n'));
        return text.append(errors).toString();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            command("close");
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
