package io.crewjvm.support;

import io.crewjvm.support.faults.PostgresServer;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, system property {@code crew.service.jar}; built
 * by {@code package} before failsafe runs) as a separate process on 127.0.0.1, so that a test can kill it with
 * SIGKILL, stop it with SIGTERM and start it again. Its output goes to {@code target/service-logs/<name>.log},
 * which outlives the test for the diagnosis of a failed run.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final String jdbcUrl;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final Process process;
    private final URI base;

    private ServiceProcess(String jdbcUrl, Map<String, String> env, int port, Path log, Process process) {
        this.jdbcUrl = jdbcUrl;
        this.env = env;
        this.port = port;
        this.log = log;
        this.process = process;
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    /**
     * Starts an instance on the database (user and password {@code postgres}) and waits until it is ready;
     * {@code env} adds or overrides settings.
     */
    public static ServiceProcess start(String name, String jdbcUrl, Map<String, String> env)
            throws IOException, InterruptedException {
        return launch(jdbcUrl, env, PostgresServer.Ports.free(), newLog(name));
    }

    /** Starts an instance on its own embedded PostgreSQL, kept in dataDir, as a user's {@code crew start} does. */
    public static ServiceProcess startEmbedded(String name, Path dataDir) throws IOException, InterruptedException {
        return launch(null, Map.of("CREW_EMBEDDED_DATA_DIR", dataDir.toString()), PostgresServer.Ports.free(),
                newLog(name));
    }

    /** target/service-logs/NAME.log, emptied. */
    private static Path newLog(String name) throws IOException {
        Path log = Path.of("target", "service-logs", name + ".log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return log;
    }

    /**
     * After a kill or a stop, a new process with the same settings on the same port, so that clients find it at
     * the address they knew; its output follows the old one's in the same log.
     */
    public ServiceProcess restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("the service still runs");
        }
        return launch(jdbcUrl, env, port, log);
    }

    private static ServiceProcess launch(String jdbcUrl, Map<String, String> env, int port, Path log)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("crew.service.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after ./mvnw package");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        // The settings of the shell that runs the build are not the test's: only those below reach the service.
        environment.keySet().removeIf(key -> key.startsWith("CREW_") || key.startsWith("QUARKUS_"));
        if (jdbcUrl != null) { // else the service starts its embedded PostgreSQL (CREW_EMBEDDED_* in env)
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            environment.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            environment.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        }
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.putAll(env);
        ServiceProcess service = new ServiceProcess(jdbcUrl, env, port, log, builder.start());
        try {
            service.awaitReadiness(200, STARTUP);
        } catch (RuntimeException | IOException | InterruptedException e) {
            service.kill();
            throw e;
        }
        return service;
    }

    public URI base() {
        return base;
    }

    /** The URI of {@code path} on this instance, e.g. {@code uri("/api/v1/events")}. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The status of {@code /q/health/ready}, or -1 when the service does not answer. */
    public int readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls readiness until it answers {@code status}, failing after {@code within}. */
    public void awaitReadiness(int status, Duration within) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (readiness() != status) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("readiness never answered " + status + " (alive: "
                        + process.isAlive() + "); " + log + " ends with:\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    /** kill -9: no shutdown of any kind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Kubernetes stops a pod; the exit code, or -1 if it did not exit within {@code within}. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Everything the service wrote so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
