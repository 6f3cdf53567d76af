package io.crewjvm.client;

import static io.crewjvm.client.ClientTests.options;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Await;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A release whose answer is lost on the way back (the connection dies after the service applied it) is sent
 * again: the task changes once, with the first result.
 */
@QuarkusTest
class LostReleaseAnswerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** Answers with the number of its execution, so that a second execution would show in the output. */
    private static final class Counting extends Worker {

        final AtomicInteger executions = new AtomicInteger();
        private final boolean fail;

        Counting(String channel, boolean fail) {
            super("counting", channel);
            this.fail = fail;
        }

        @Override
        public TaskResult execute(JsonNode input, List<Parent> parents) throws TaskError {
            int n = executions.incrementAndGet();
            if (fail) {
                throw new TaskError("failed", Map.of("execution", n));
            }
            return TaskResult.of(Map.of("execution", n));
        }
    }

    @Test
    void a_success_whose_answer_was_lost_is_sent_again_and_completes_the_task_once_with_the_first_output()
            throws Exception {
        String channel = unique("lost");
        String id = createTask(createGroup(unique("lost")), Map.of("name", "once", "channel", channel))
                .getString("_id");
        Counting worker = new Counting(channel, false);
        RecordingListener listener = new RecordingListener();
        try (FaultyProxy proxy = new FaultyProxy(base);
             WorkerGroup workers = new WorkerGroup(options(proxy.url(), listener))) {
            proxy.loseNextAnswerTo("/api/v1/task/" + id + "/release HTTP/1.1");
            workers.add(worker).start();
            Await.until("the release is settled", TIMEOUT, () -> listener.outcome(id) != null);
            assertEquals(1, proxy.answersLost(), "the first answer of the release was lost");
        }
        assertEquals(Released.Kind.COMPLETED, listener.outcome(id).kind());
        assertTrue(listener.troubles().stream().anyMatch(what -> what.startsWith("release of " + id + " failed")),
                "the client saw the release fail and tried again: " + listener.troubles());
        assertEquals(1, worker.executions.get());
        assertEquals(1, task(id).getInt("output.execution"));
        assertEquals("1:completed", sql.text("SELECT string_agg(attempt || ':' || outcome, ',') FROM task_attempt "
                + "WHERE task_id = ?", id), "one attempt in the ledger, completed once");
        Invariants.assertAll(sql);
    }

    @Test
    void a_failure_whose_answer_was_lost_is_recorded_once_and_costs_one_attempt() throws Exception {
        String channel = unique("lostfail");
        // A long error delay: the task is not run again while the test looks at it.
        String id = createTask(createGroup(unique("lostfail")), Map.of("name", "fails", "channel", channel,
                "remainingAttempts", 3, "errorDelayInSeconds", 600)).getString("_id");
        Counting worker = new Counting(channel, true);
        RecordingListener listener = new RecordingListener();
        try (FaultyProxy proxy = new FaultyProxy(base);
             WorkerGroup workers = new WorkerGroup(options(proxy.url(), listener))) {
            proxy.loseNextAnswerTo("/api/v1/task/" + id + "/release HTTP/1.1");
            workers.add(worker).start();
            Await.until("the release is settled", TIMEOUT, () -> listener.outcome(id) != null);
            assertEquals(1, proxy.answersLost(), "the first answer of the release was lost");
        }
        Released outcome = listener.outcome(id);
        assertEquals(Released.Kind.FAILED, outcome.kind(), "the retry's 409 means the first try was applied");
        assertTrue(outcome.detail().contains("earlier try"), outcome.detail());
        assertEquals(1, worker.executions.get());
        assertEquals(List.of(Map.of("execution", 1)), task(id).getList("errors"), "the error recorded once");
        assertEquals(2, task(id).getInt("remainingAttempts"), "one attempt consumed");
        assertEquals("1:failed", sql.text("SELECT string_agg(attempt || ':' || outcome, ',') FROM task_attempt "
                + "WHERE task_id = ?", id));
        Invariants.assertAll(sql);
    }
}
