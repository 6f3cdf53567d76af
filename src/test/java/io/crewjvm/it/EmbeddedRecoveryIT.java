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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service on its embedded PostgreSQL is killed with SIGKILL, as a crash or a closed terminal does: its
 * PostgreSQL outlives it. The next start on the same data directory stops that server, starts its own, answers
 * and finds the data that was there.
 */
class EmbeddedRecoveryIT {

    /** A start of the JVM and Quarkus on a loaded 2-core machine, with room; the time taken is printed. */
    private static final Duration RESTART = Duration.ofSeconds(30);
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory("crew-recovery");
    }

    @AfterEach
    void removeDataDir() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void a_start_after_kill_nine_stops_the_orphaned_postgres_and_keeps_the_data() throws Exception {
        ServiceProcess first = ServiceProcess.startEmbedded("embedded-killed", dataDir);
        String group;
        long orphan;
        try {
            group = new Client(first::uri).post("/api/v1/task_groups", Map.of("name", "kept")).json().path("_id")
                    .asText();
            first.kill();
            orphan = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                    "the killed service's PostgreSQL should still run: nothing to recover from otherwise");
        } finally {
            first.close();
        }

        long started = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.startEmbedded("embedded-restarted", dataDir)) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(RESTART) < 0, "the restart took " + took);
            System.out.printf("[reliability] embedded PostgreSQL orphaned by kill -9 stopped; restart answered after"
                    + " %.1f s%n", took.toMillis() / 1000.0);
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                    "the orphaned PostgreSQL still runs");
            Client.Reply kept = new Client(second::uri).get("/api/v1/task_group/" + group);
            assertEquals(200, kept.status());
            assertEquals("kept", kept.json().path("name").asText());
            assertTrue(second.log().contains("still ran on"), "the recovery is not in the log:\n" + second.log());
            second.terminate(Duration.ofSeconds(30));
        }
    }
}
