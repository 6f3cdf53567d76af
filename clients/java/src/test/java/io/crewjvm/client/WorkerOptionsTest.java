package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void the_environment_sets_crews_worker_variables_and_this_clients_own() {
        WorkerOptions options = WorkerOptions.fromEnvironment(Map.of(
                "CREW_API_BASE_URL", "http://crew:3000/",
                "CREW_WORK_WAIT_SECONDS", "0",
                "CREW_WORK_INTERVAL_IN_MILLISECONDS", "2500",
                "CREW_WORK_BATCH_SIZE", "20",
                "CREW_SHUTDOWN_TIMEOUT_IN_MILLISECONDS", "10000")::get);
        assertEquals(URI.create("http://crew:3000/"), options.url());
        assertEquals(0, options.waitSeconds());
        assertEquals(Duration.ofMillis(2500), options.pollInterval());
        assertEquals(20, options.batchSize());
        assertEquals(Duration.ofSeconds(10), options.shutdownTimeout());
    }

    @Test
    void without_environment_a_worker_long_polls_localhost_one_task_at_a_time() {
        WorkerOptions options = WorkerOptions.fromEnvironment(Map.<String, String>of()::get);
        assertEquals(URI.create("http://localhost:3000/"), options.url());
        assertEquals(20, options.waitSeconds());
        assertEquals(1, options.batchSize());
        assertEquals(Duration.ofSeconds(30), options.shutdownTimeout());
    }

    @Test
    void values_the_service_would_refuse_are_refused_at_once() {
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.defaults().withWaitSeconds(31));
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.defaults().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.defaults().withLeaseSeconds(0));
        assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.fromEnvironment(Map.of("CREW_WORK_BATCH_SIZE", "many")::get));
    }
}
