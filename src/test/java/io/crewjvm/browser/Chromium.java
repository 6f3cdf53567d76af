package io.crewjvm.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven through the DevTools protocol over the JDK's WebSocket client: no browser
 * download, no driver. One browser per test class; {@link #newPage} opens a tab and attaches to it (flat sessions).
 * Chromium missing is a failure with the command that installs it, never a skipped test.
 */
public final class Chromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final long COMMAND_SECONDS = 60;

    final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> tabs = new CopyOnWriteArrayList<>();
    private final List<String> stderr;

    private Chromium(Process process, Path profile, String url, List<String> stderr) {
        this.process = process;
        this.profile = profile;
        this.stderr = stderr;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), new Receiver()).join();
    }

    public static Chromium launch() throws IOException, InterruptedException {
        String executable = executable();
        Path profile = Files.createTempDirectory("crew-chromium-");
        // The flags beyond headless keep Chromium from calling Google's hosts, which a closed network refuses.
        Process process = new ProcessBuilder(executable, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("Chromium ended: " + String.join("\n", lines)));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Chromium(process, profile, url.get(60, TimeUnit.SECONDS), lines);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not open its DevTools port: " + String.join("\n", lines), e);
        }
    }

    private static String executable() {
        String configured = System.getProperty("chromium.path", System.getenv("CHROMIUM"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("Chromium is not installed: the dashboard's browser tests need Debian's chromium "
                + "(apt-get install -y chromium; .ci/run installs it), or -Dchromium.path=<path>");
    }

    /** A new tab of the given size, with the Page and Runtime domains enabled. */
    public Page newPage(int width, int height) {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        tabs.add(target);
        String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .path("sessionId").asText();
        Page page = new Page(this, session);
        call(session, "Page.enable", Map.of());
        call(session, "Runtime.enable", Map.of());
        call(session, "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        return page;
    }

    /**
     * Closes every tab opened so far. A dashboard tab keeps its event stream open, and Chromium opens at most 6
     * connections to one host: tabs left open by earlier tests would leave the next test's calls waiting for one.
     */
    public void closePages() {
        for (String target : tabs) {
            call(null, "Target.closeTarget", Map.of("targetId", target));
        }
        tabs.clear();
    }

    /** Sends a command and waits for its result; a protocol error fails the test. */
    JsonNode call(String session, String method, Map<String, ?> params) {
        try {
            return send(session, method, params).get(COMMAND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new AssertionError(method + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(method + " had no answer in " + COMMAND_SECONDS + " s; browser alive: "
                    + process.isAlive() + "; stderr: " + String.join("\n", stderr), e);
        }
    }

    CompletableFuture<JsonNode> send(String session, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", json.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        synchronized (socket) { // one send at a time: the WebSocket refuses overlapping sends
            socket.sendText(message.toString(), true).join();
        }
        return result;
    }

    /** Events of every session: (method, message with sessionId and params). */
    void onEvent(BiConsumer<String, JsonNode> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() throws IOException {
        try {
            send(null, "Browser.close", Map.of()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing anyway below.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                dispatch(message);
            }
            webSocket.request(1);
            return null;
        }

        private void dispatch(String message) {
            JsonNode node;
            try {
                node = json.readTree(message);
            } catch (IOException e) {
                return;
            }
            if (node.has("id")) {
                CompletableFuture<JsonNode> result = pending.remove(node.get("id").asInt());
                if (result == null) {
                    return;
                }
                if (node.has("error")) {
                    result.completeExceptionally(new IllegalStateException(node.get("error").toString()));
                } else {
                    result.complete(node.path("result"));
                }
            } else {
                String method = node.path("method").asText();
                new ArrayList<>(listeners).forEach(l -> l.accept(method, node));
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
