package io.crewjvm.client;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM to a worker process while it runs a task: the task is released, the process exits 0. */
@QuarkusTest
class WorkerShutdownTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** A worker JVM and its output, line by line. */
    private record WorkerProcess(Process process, BlockingQueue<String> lines) {

        static WorkerProcess start(URI url, String channel, long workMillis, long shutdownMillis) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", classpath, SlowWorkerMain.class.getName(),
                    url.toString(), channel, String.valueOf(workMillis), String.valueOf(shutdownMillis))
                    .redirectErrorStream(true).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            }, "worker-output");
            reader.setDaemon(true);
            reader.start();
            return new WorkerProcess(process, lines);
        }

        /** Waits for a line starting with the prefix; the output so far in the failure message. */
        void awaitLine(String prefix, StringBuilder seen) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith(prefix)) {
                        return;
                    }
                }
            }
            throw new AssertionError("no line \"" + prefix + "\" within 60 s; the worker said:\n" + seen);
        }

        /** SIGTERM, then the exit code. */
        int terminate(StringBuilder seen) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the worker did not exit within 60 s of SIGTERM:\n" + seen);
            }
            return process.exitValue();
        }
    }

    @Test
    void sigterm_during_a_task_lets_it_finish_releases_its_result_and_exits_0() throws Exception {
        String channel = unique("term");
        String id = createTask(createGroup(unique("term")), Map.of("name", "finishes", "channel", channel,
                "input", Map.of("id", "finishes"))).getString("_id");
        WorkerProcess worker = WorkerProcess.start(base, channel, 2000, 30_000);
        StringBuilder seen = new StringBuilder();
        worker.awaitLine("executing finishes", seen);
        assertEquals(0, worker.terminate(seen), "exit code after SIGTERM");
        JsonPath task = task(id);
        assertEquals("complete", task.getString("state"), "the task was finished and released before the exit");
        assertEquals(2000, task.getInt("output.sleptMillis"));
        assertEquals("1:completed", sql.text("SELECT string_agg(attempt || ':' || outcome, ',') FROM task_attempt "
                + "WHERE task_id = ?", id));
        Invariants.assertAll(sql);
    }

    @Test
    void a_task_still_running_when_the_shutdown_timeout_ends_is_released_as_failed_and_the_worker_exits_0()
            throws Exception {
        String channel = unique("cut");
        String id = createTask(createGroup(unique("cut")), Map.of("name", "too long", "channel", channel,
                "errorDelayInSeconds", 0, "input", Map.of("id", "too long"))).getString("_id");
        WorkerProcess worker = WorkerProcess.start(base, channel, 600_000, 500);
        StringBuilder seen = new StringBuilder();
        worker.awaitLine("executing too long", seen);
        long signalled = System.nanoTime();
        assertEquals(0, worker.terminate(seen), "exit code after SIGTERM");
        assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(20), "exited soon after the timeout");
        JsonPath task = task(id);
        assertEquals("ready", task.getString("state"), "released as failed: ready again at once (no error delay)");
        assertTrue(task.getString("errors[0]").startsWith("The worker shut down before the task finished"),
                task.getString("errors[0]"));
        assertEquals("1:failed", sql.text("SELECT string_agg(attempt || ':' || outcome, ',') FROM task_attempt "
                + "WHERE task_id = ? AND attempt = 1", id), "released by the worker, not reclaimed after its lease");
        Invariants.assertAll(sql);
    }
}
