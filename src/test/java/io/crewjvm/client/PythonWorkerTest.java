package io.crewjvm.client;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Api;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python client (clients/python/crew_worker.py) in bad weather, as the JVM client is tested. */
@QuarkusTest
class PythonWorkerTest {

    private static final String WORKER = "src/test/python/counting_worker.py";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    private String attempts(String taskId) {
        return sql.text("SELECT string_agg(attempt || ':' || outcome, ',' ORDER BY attempt) FROM task_attempt "
                + "WHERE task_id = ?", taskId);
    }

    @Test
    void a_release_whose_answer_was_lost_is_sent_again_and_applied_once() throws Exception {
        String channel = unique("pylost");
        String id = createTask(createGroup(unique("pylost")), Map.of("name", "once", "channel", channel,
                "input", Map.of("id", "once"))).getString("_id");
        try (FaultyProxy proxy = new FaultyProxy(base)) {
            proxy.loseNextAnswerTo("/api/v1/task/" + id + "/release HTTP/1.1");
            PythonProcess worker = PythonProcess.start(WORKER, proxy.url().toString(), channel, "0", "10");
            worker.await("the task is complete", () -> "complete".equals(task(id).getString("state")));
            worker.await("the worker reports the release", () -> worker.output().contains("completed \"once\""));
            assertEquals(0, worker.terminate(), worker.output());
            assertEquals(1, proxy.answersLost());
            assertTrue(worker.output().contains("(release retried)"), worker.output());
        }
        assertEquals(1, task(id).getInt("output.execution"), "executed once");
        assertEquals("1:completed", attempts(id));
        Invariants.assertAll(sql);
    }

    @Test
    void a_permanent_error_fails_the_task_at_once_and_a_cancelled_task_stops_while_the_worker_goes_on()
            throws Exception {
        String channel = unique("pystop");
        String group = createGroup(unique("pystop"));
        String doomed = createTask(group, Map.of("name", "doomed", "channel", channel, "remainingAttempts", 5,
                "input", Map.of("id", "doomed", "permanent", true))).getString("_id");
        String endless = createTask(group, Map.of("name", "endless", "channel", channel, "leaseSeconds", 2,
                "input", Map.of("id", "endless", "until_stopped", true))).getString("_id");
        PythonProcess worker = PythonProcess.start(WORKER, base.toString(), channel, "0", "10");
        worker.await("the endless task runs", () -> worker.output().contains("executing endless"));
        assertEquals("failed", task(doomed).getString("state"));
        assertEquals("1:failed", attempts(doomed), "one attempt, though four were left");
        Api.post("/api/v1/task/" + endless + "/cancel", null).then().statusCode(200);
        worker.await("the task heard it was cancelled", () -> worker.output().contains("stopped endless"));
        String after = createTask(group, Map.of("name", "after", "channel", channel,
                "input", Map.of("id", "after"))).getString("_id");
        worker.await("the worker took other work", () -> "complete".equals(task(after).getString("state")));
        assertEquals(0, worker.terminate(), worker.output());
        assertTrue(worker.output().contains("cancelled"), worker.output());
        assertEquals("1:cancelled", attempts(endless));
        Invariants.assertAll(sql);
    }

    @Test
    void sigterm_during_a_task_lets_the_python_worker_finish_and_release_it_and_exit_0() throws Exception {
        String channel = unique("pyterm");
        String id = createTask(createGroup(unique("pyterm")), Map.of("name", "finishes", "channel", channel,
                "input", Map.of("id", "finishes"))).getString("_id");
        PythonProcess worker = PythonProcess.start(WORKER, base.toString(), channel, "2", "30");
        worker.await("the task runs", () -> worker.output().contains("executing finishes"));
        assertEquals(0, worker.terminate(), worker.output());
        assertEquals("complete", task(id).getString("state"));
        assertEquals("1:completed", attempts(id));
        assertTrue(worker.output().strip().endsWith("stopped"), worker.output());
    }

    @Test
    void a_task_still_running_at_the_shutdown_timeout_is_released_as_failed_and_the_python_worker_exits_0()
            throws Exception {
        String channel = unique("pycut");
        String id = createTask(createGroup(unique("pycut")), Map.of("name", "too long", "channel", channel,
                "errorDelayInSeconds", 0, "input", Map.of("id", "too long"))).getString("_id");
        PythonProcess worker = PythonProcess.start(WORKER, base.toString(), channel, "600", "0.5");
        worker.await("the task runs", () -> worker.output().contains("executing too long"));
        assertEquals(0, worker.terminate(), worker.output());
        assertEquals("ready", task(id).getString("state"));
        assertTrue(task(id).getString("errors[0]").startsWith("The worker shut down before the task finished"));
        assertEquals("1:failed", attempts(id));
    }

    @Test
    void batch_mode_takes_and_releases_many_tasks_per_call_and_runs_each_once() throws Exception {
        String channel = unique("pybatch");
        String group = createGroup(unique("pybatch"));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "input", Map.of("id", "t" + i)));
        }
        Api.post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);
        try (FaultyProxy proxy = new FaultyProxy(base)) {
            PythonProcess worker = PythonProcess.start(WORKER, proxy.url().toString(), channel, "0", "10", "5");
            worker.await("every task is complete", () -> sql.count(
                    "SELECT count(*) FROM task WHERE group_id = ? AND state = 'complete'", group) == 12);
            assertEquals(0, worker.terminate(), worker.output());
            assertTrue(proxy.traffic().contains("/acquire_batch HTTP/1.1"), "acquire_batch used");
            assertTrue(proxy.traffic().contains("POST /api/v1/tasks/release HTTP/1.1"), "tasks/release used");
        }
        assertEquals(12, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'completed'", group), "one completed attempt each");
        assertEquals(12, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND attempt = 1", group));
    }
}
