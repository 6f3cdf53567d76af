package io.crewjvm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service on its embedded PostgreSQL is killed with SIGKILL, as a crash does. Its watchdog stops the PostgreSQL
 * it leaves behind within seconds. When the watchdog was killed too (a kill of the whole process tree), the server
 * runs on, and the next start on the same data directory stops it first. Either way the next start answers within
 * 15 seconds and finds the data that was there.
 */
class EmbeddedRecoveryIT {

    private static final Duration RESTART = Duration.ofSeconds(15);
    private static final Duration WATCHDOG = Duration.ofSeconds(10);
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory("crew-recovery").resolve("pgdata");
    }

    @AfterEach
    void removeDataDir() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void after_kill_nine_the_watchdog_stops_the_postgres_and_a_restart_keeps_the_data() throws Exception {
        ServiceProcess first = ServiceProcess.startEmbedded("embedded-killed", dataDir);
        String group;
        long postmaster;
        try {
            group = createGroup(first);
            postmaster = postmasterPid();
            first.kill();
        } finally {
            first.close();
        }
        long killed = System.nanoTime();
        ProcessHandle server = ProcessHandle.of(postmaster).orElseThrow();
        server.onExit().get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("[reliability] embedded PostgreSQL of a service killed with SIGKILL stopped by its watchdog"
                + " after %.1f s%n", (System.nanoTime() - killed) / 1e9);
        restartAndFind(group, "embedded-after-watchdog");
    }

    @Test
    void after_kill_nine_of_the_whole_tree_the_next_start_stops_the_orphaned_postgres() throws Exception {
        ServiceProcess first = ServiceProcess.startEmbedded("embedded-tree-killed", dataDir);
        String group;
        long orphan;
        try {
            group = createGroup(first);
            orphan = postmasterPid();
            ProcessHandle.of(first.pid()).orElseThrow().descendants().forEach(ProcessHandle::destroyForcibly);
            first.kill();
            Thread.sleep(2000); // a watchdog, had it survived, would have acted by now
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                    "the killed service's PostgreSQL should still run: nothing to recover from otherwise");
        } finally {
            first.close();
        }
        String log = restartAndFind(group, "embedded-restarted");
        assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                "the orphaned PostgreSQL still runs");
        assertTrue(log.contains("still ran on"), "the recovery is not in the log:\n" + log);
    }

    private static String createGroup(ServiceProcess service) throws Exception {
        return new Client(service::uri).post("/api/v1/task_groups", Map.of("name", "kept")).json().path("_id")
                .asText();
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    /** Starts a service on the data directory, checks it answers in time with the group kept; its log. */
    private String restartAndFind(String group, String name) throws Exception {
        long started = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.startEmbedded(name, dataDir)) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(RESTART) < 0, "the restart took " + took);
            System.out.printf("[reliability] restart on the data of a service killed with SIGKILL answered after"
                    + " %.1f s%n", took.toMillis() / 1000.0);
            Client.Reply kept = new Client(second::uri).get("/api/v1/task_group/" + group);
            assertEquals(200, kept.status());
            assertEquals("kept", kept.json().path("name").asText());
            String log = second.log();
            assertEquals(0, second.terminate(Duration.ofSeconds(30)));
            return log;
        }
    }
}
