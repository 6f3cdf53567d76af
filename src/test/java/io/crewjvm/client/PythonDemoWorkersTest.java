package io.crewjvm.client;

import static io.crewjvm.client.ClientTests.groupStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.client.demo.DemoDag;
import io.crewjvm.support.Await;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Python client's demo workers (clients/python) run the demo DAG against the service. */
@QuarkusTest
class PythonDemoWorkersTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Test
    void the_python_demo_workers_run_the_demo_dag_to_completion_and_exit_0_on_sigterm() throws Exception {
        Path log = Files.createTempFile("python-demo-workers", ".log");
        Process workers;
        try {
            workers = new ProcessBuilder("python3", "clients/python/demo_workers.py", "--url", base.toString(),
                    "--time-scale", "0.05").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException noPython) {
            throw new AssertionError("python3 is needed on the PATH to test the Python client", noPython);
        }
        try {
            String group = DemoDag.create(new CrewClient(base));
            Await.until("the demo group is complete (workers said: " + log + ")", Duration.ofSeconds(90),
                    () -> groupStatus(group).equals("complete") || !workers.isAlive());
            assertTrue(workers.isAlive(), "the workers died:\n" + Files.readString(log));
            assertEquals(DemoDag.TASKS, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'",
                    group));
            assertEquals("merged", sql.text("SELECT a.outcome::text FROM task_attempt a JOIN task t ON t.id = a.task_id "
                    + "WHERE t.group_id = ? AND t.name = 'Child B'", group), "Child B shares Child A's key and output");
            assertEquals("D oh' no a single quote! And a double quote \" too!", sql.text(
                    "SELECT input ->> 'child' FROM task WHERE group_id = ? AND name = 'Child '' \" D Quotes'", group));
            assertEquals(6, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                    + "WHERE t.group_id = ? AND a.outcome = 'completed' AND a.worker_id LIKE 'Worker-%'", group),
                    "six executions by the Python workers (Child B was merged)");
            Invariants.assertAll(sql);
        } finally {
            workers.destroy();
        }
        assertTrue(workers.waitFor(30, TimeUnit.SECONDS), "the workers did not stop on SIGTERM");
        String output = Files.readString(log);
        assertEquals(0, workers.exitValue(), output);
        assertTrue(output.contains("completed \"Task C\""), output);
        assertTrue(output.contains("completed \"Child ' \\\" D Quotes\" "), "the quote in the name is escaped:\n" + output);
        assertTrue(output.strip().endsWith("Stopped."), output);
    }
}
