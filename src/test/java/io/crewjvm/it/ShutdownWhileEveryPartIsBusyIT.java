package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.crewjvm.embedded.EmbeddedDatabase;
import io.crewjvm.support.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged service while polling workers, an operator's webhook deliveries, the scheduled jobs and an
 * event stream keep it busy: readiness goes down while requests are still served, every request sent before the
 * signal gets its answer, released work is in the database, and the process exits 0 within the configured timeout
 * with no error in its log (no "pool is closed" from a job or a delivery that outlived the connection pool).
 */
class ShutdownWhileEveryPartIsBusyIT {

    private static final int WORKERS = 8;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final Set<String> releasedOk = ConcurrentHashMap.newKeySet();
    private final List<String> unanswered = new ArrayList<>();
    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicBoolean terminating = new AtomicBoolean();

    @Test
    void sigterm_under_load_finishes_in_flight_work_and_exits_0() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(null, 0, true)) {
            HttpServer hook = webhook();
            try (ServiceProcess service = ServiceProcess.start("shutdown", database.jdbcUrl(), Map.of(
                    "CREW_SHUTDOWN_DELAY", "2s",
                    "CREW_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT.getSeconds() + "s",
                    "CREW_RECLAIM_INTERVAL", "1s",
                    "CREW_PROMOTE_INTERVAL", "1s",
                    "CREW_METRICS_INTERVAL", "1s"))) {
                run(service, hook, database);
            } finally {
                hook.stop(0);
            }
        }
    }

    private void run(ServiceProcess service, HttpServer hook, EmbeddedDatabase database) throws Exception {
        Client api = new Client(service::uri);
        String group = api.post("/api/v1/task_groups", Map.of("name", "shutdown")).json().path("_id").asText();
        createTasks(api, group, "work", 20_000);
        createTasks(api, group, "hooks", 2_000);
        assertEquals(200, api.post("/api/v1/operators", Map.of("channel", "hooks",
                "url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/")).status());

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
        CountDownLatch stopped = new CountDownLatch(WORKERS);
        for (int i = 0; i < WORKERS; i++) {
            String worker = "w" + i;
            pool.execute(() -> {
                try {
                    work(new Client(service::uri), worker);
                } finally {
                    stopped.countDown();
                }
            });
        }
        AtomicBoolean sawNotReady = new AtomicBoolean();
        try (EventStreamClient stream = new EventStreamClient(service.uri("/api/v1/events"))) {
            stream.awaitComment("connected", Duration.ofSeconds(20));
            awaitReleases(300);

            pool.execute(() -> watchReadiness(new Client(service::uri), sawNotReady));
            Instant signalled = Instant.now();
            terminating.set(true);
            int exit = service.terminate(SHUTDOWN_TIMEOUT.plusSeconds(20));
            Duration took = Duration.between(signalled, Instant.now());

            assertEquals(0, exit, "exit code");
            assertTrue(took.compareTo(SHUTDOWN_TIMEOUT.plusSeconds(2 + 5)) < 0, "stopped in " + took);
        }
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "workers stopped");
        pool.shutdownNow();

        assertTrue(sawNotReady.get(), "readiness reported DOWN while the server still answered");
        synchronized (unanswered) {
            assertEquals(List.of(), unanswered, "requests sent before SIGTERM that got no answer");
        }
        String log = service.log();
        assertFalse(log.toLowerCase().contains("pool is closed"), log);
        assertFalse(log.contains(" ERROR "), "errors in the log:\n" + log);
        assertTrue(releases.get() >= 300);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM task WHERE id = ANY (?) AND state <> 'complete'")) {
            ps.setArray(1, c.createArrayOf("text", releasedOk.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "tasks released with 200 but not complete");
            }
        }
        assertTrue(operatorDeliveriesSettled(database), "operator deliveries left leased at exit");
    }

    /** A polling worker: acquire, release, until the service stops answering after SIGTERM. */
    private void work(Client api, String worker) {
        while (true) {
            boolean before = !terminating.get();
            String task;
            try {
                Client.Reply acquired = api.post("/api/v1/channel/work/acquire", Map.of("workerId", worker));
                if (acquired.status() != 200) {
                    noteRefusal(before, "acquire " + acquired.status());
                    return;
                }
                task = acquired.json().path("task").path("_id").asText(null);
                if (task == null) {
                    continue;
                }
            } catch (IOException | InterruptedException e) {
                noteRefusal(before, "acquire " + e);
                return;
            }
            before = !terminating.get();
            try {
                Client.Reply released = api.post("/api/v1/task/" + task + "/release",
                        Map.of("workerId", worker, "output", Map.of("by", worker)));
                if (released.status() != 200) {
                    noteRefusal(before, "release " + released.status());
                    return;
                }
                releasedOk.add(task);
                releases.incrementAndGet();
            } catch (IOException | InterruptedException e) {
                noteRefusal(before, "release " + e);
                return;
            }
        }
    }

    /** After SIGTERM a request may be refused; one sent before it must have been answered. */
    private void noteRefusal(boolean sentBeforeSignal, String what) {
        if (sentBeforeSignal) {
            synchronized (unanswered) {
                unanswered.add(what);
            }
        }
    }

    private static void watchReadiness(Client api, AtomicBoolean sawNotReady) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (api.get("/q/health/ready").status() == 503) {
                    sawNotReady.set(true);
                    return;
                }
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private void awaitReleases(int n) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (releases.get() < n) {
            assertTrue(Instant.now().isBefore(deadline), "workers are not releasing");
            Thread.sleep(50);
        }
    }

    private static void createTasks(Client api, String group, String channel, int n) throws Exception {
        for (int from = 0; from < n; from += 1000) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                tasks.add(Map.of("name", channel + i, "channel", channel));
            }
            assertEquals(200, api.post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks))
                    .status());
        }
    }

    /** The operator's worker: answers each delivery after a short while, so that some are in flight at SIGTERM. */
    private static HttpServer webhook() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{\"output\":{\"hooked\":true}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Deliveries in flight at SIGTERM were answered and released before the pool closed: none is left leased. */
    private static boolean operatorDeliveriesSettled(EmbeddedDatabase database) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FILTER (WHERE state = 'running'), count(*) FILTER (WHERE state = 'complete') "
                             + "FROM task WHERE channel = 'hooks'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) == 0 && rs.getLong(2) > 0;
        }
    }
}
