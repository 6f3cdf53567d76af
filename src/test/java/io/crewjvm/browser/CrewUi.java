package io.crewjvm.browser;

import io.crewjvm.support.NpmPackage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Crew's own UI, npm {@code @orchard-insights/crew-ui} as pinned by compat/crew-ui/package-lock.json, run exactly as
 * its users run it: {@code crew-ui serve --url <service> --port <port> --no-browser}, a child process that builds
 * the UI with the service's URL baked in (vite) and then serves it. The packages are installed with {@code npm ci}
 * when they are missing or not the pinned version. Node.js or npm missing is a failure, never a skipped test.
 */
final class CrewUi implements AutoCloseable {

    private static final Duration BUILD = Duration.ofMinutes(5);

    private final Process process;
    private final List<String> output;
    final URI url;

    private CrewUi(Process process, List<String> output, URI url) {
        this.process = process;
        this.output = output;
        this.url = url;
    }

    /** The project's compat/crew-ui (tests run in the project's directory), or -Dcrew-ui.dir. */
    static Path directory() {
        return Path.of(System.getProperty("crew-ui.dir", "compat/crew-ui")).toAbsolutePath();
    }

    /** Installs crew-ui when needed, builds it against the service and serves it; returns once it answers. */
    static CrewUi serve(URI service) throws IOException, InterruptedException {
        Path dir = NpmPackage.ready(directory(), "@orchard-insights/crew-ui");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path cli = dir.resolve("node_modules/@orchard-insights/crew-ui/src/cli.js");
        long start = System.nanoTime();
        Process process = start(dir, List.of(node(), cli.toString(), "serve", "--url", service.toString(), "--port",
                String.valueOf(port), "--no-browser"));
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("UI running at ")) {
                        running.complete(null);
                    }
                }
            } catch (IOException e) {
                // The process ended; reported below.
            }
            running.completeExceptionally(new IllegalStateException("crew-ui serve ended"));
        }, "crew-ui-output");
        reader.setDaemon(true);
        reader.start();
        try {
            running.get(BUILD.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            destroy(process);
            throw new AssertionError("crew-ui serve did not start serving within " + BUILD.toMinutes()
                    + " min (exit: " + (process.isAlive() ? "running" : process.exitValue()) + "):\n"
                    + String.join("\n", output), e);
        }
        System.out.printf("crew-ui built and serving at http://127.0.0.1:%d/ after %d ms%n", port,
                (System.nanoTime() - start) / 1_000_000);
        return new CrewUi(process, output, URI.create("http://127.0.0.1:" + port + "/"));
    }

    private static String node() {
        return tool("node");
    }

    /** The executable on the PATH; missing is a failure that says what to install. */
    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("`" + name + "` is not on the PATH: the crew-ui browser test needs Node.js 18+ "
                + "and npm (apt-get install -y nodejs npm; .ci/run installs them)");
    }

    private static Process start(Path dir, List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        return process;
    }

    private static void destroy(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What crew-ui serve printed so far. */
    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException {
        destroy(process);
    }
}
