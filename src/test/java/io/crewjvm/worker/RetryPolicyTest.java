package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.acquireBatch;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Await;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** Retry policies (fixed, exponential, jitter; per task and per channel) and permanent errors, judged from the ledger. */
@QuarkusTest
class RetryPolicyTest {

    private static final Logger LOG = Logger.getLogger(RetryPolicyTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    Sql sql;

    @TestHTTPResource("/")
    URI base;

    /** Seconds from the task's first acquire to the start of each of its attempts, from the ledger. */
    private double[] attemptStarts(String id) {
        String starts = sql.text("SELECT string_agg(extract(epoch FROM a.acquired_at - f.first)::text, ',' "
                + "ORDER BY a.attempt) FROM finished_attempt a, (SELECT min(acquired_at) AS first FROM "
                + "finished_attempt WHERE task_id = ?) f WHERE a.task_id = ?", id, id);
        return Arrays.stream(starts.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void exponential_backoff_from_one_second_by_two_starts_attempts_at_0_1_3_7_and_15_seconds() throws Exception {
        String channel = unique("expo");
        String group = createGroup(unique("expo"));
        String id = createTask(group, "flaky", channel, Map.of("remainingAttempts", 5, "retryPolicy",
                Map.of("backoff", "exponential", "initialDelaySeconds", 1, "factor", 2, "jitter", 0)));
        assertEquals(Map.of("backoff", "exponential", "initialDelaySeconds", 1, "factor", 2,
                "maxDelaySeconds", 3600, "jitter", 0), task(id).getMap("retryPolicy"));
        // A worker that polls every 10 ms and fails at once whatever it gets, until the task failed for good.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int failures = 0;
        Http http = new Http(base);
        while (failures < 5 && System.nanoTime() < deadline) {
            JsonNode leased = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "flaky-worker"))
                    .json();
            if (!leased.path("task").isNull()) {
                assertEquals(200, http.post("api/v1/task/" + id + "/release",
                        Map.of("workerId", "flaky-worker", "error", "503 from the API")).status());
                failures++;
            } else {
                Thread.sleep(10);
            }
        }
        double[] starts = attemptStarts(id);
        String delays = sql.text("SELECT string_agg(round(extract(epoch FROM n.acquired_at - a.finished_at), 3)::text, "
                + "', ' ORDER BY a.attempt) FROM finished_attempt a JOIN finished_attempt n ON n.task_id = a.task_id "
                + "AND n.attempt = a.attempt + 1 WHERE a.task_id = ?", id);
        LOG.infof("attempt starts: %s s; from each failure to the next start: %s s", Arrays.toString(starts), delays);
        double[] expected = {0, 1, 3, 7, 15};
        assertEquals(expected.length, starts.length, "five attempts, then failed for good");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(starts[i] - expected[i]) <= 0.5,
                    "attempt " + (i + 1) + " started at " + starts[i] + " s, not " + expected[i] + " ± 0.5 s");
        }
        for (String delay : delays.split(", ")) {
            assertTrue(Double.parseDouble(delay) >= 0, "no attempt starts before its time: " + delays);
        }
        assertEquals("failed", task(id).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void jitter_of_half_spreads_two_hundred_second_attempts_over_at_least_half_its_window() throws Exception {
        String channel = unique("jitter");
        String group = createGroup(unique("jitter"));
        Map<String, Object> policy = Map.of("backoff", "exponential", "initialDelaySeconds", 4, "factor", 2,
                "jitter", 0.5);
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel, "retryPolicy", policy));
        }
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);
        List<Map<String, Object>> leased = acquireBatch(channel, Map.of("workerId", "w", "limit", 200))
                .getList("tasks");
        assertEquals(200, leased.size());
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Map<String, Object> entry : leased) {
            @SuppressWarnings("unchecked")
            Map<String, Object> leasedTask = (Map<String, Object>) entry.get("task");
            failures.add(Map.of("taskId", leasedTask.get("_id"), "workerId", "w", "error", "429"));
        }
        post("/api/v1/tasks/release", Map.of("releases", failures)).then().statusCode(200);
        // Second attempts: taken as soon as they are due (a poll every 20 ms promotes what fell due).
        Await.until("200 second attempts", TIMEOUT, () -> {
            acquireBatch(channel, Map.of("workerId", "w2", "limit", 200));
            return sql.count("SELECT count(*) FROM task WHERE channel = ? AND attempt = 2", channel) == 200;
        });
        // The delay each failure set (run_after, on the database clock), and when each second attempt started.
        String scheduled = sql.text("SELECT min(d) || ',' || max(d) FROM (SELECT extract(epoch FROM t.run_after - "
                + "a.finished_at) AS d FROM task t JOIN finished_attempt a ON a.task_id = t.id AND a.attempt = 1 "
                + "WHERE t.channel = ?) x", channel);
        String started = sql.text("SELECT min(d) || ',' || max(d) FROM (SELECT extract(epoch FROM t.assigned_at - "
                + "a.finished_at) AS d FROM task t JOIN finished_attempt a ON a.task_id = t.id AND a.attempt = 1 "
                + "WHERE t.channel = ?) x", channel);
        LOG.infof("second attempts due %s s and started %s s after the first ended (window 2 to 4 s)", scheduled,
                started);
        double min = Double.parseDouble(scheduled.split(",")[0]);
        double max = Double.parseDouble(scheduled.split(",")[1]);
        assertTrue(min >= 2 && max <= 4, "delays inside the jitter window [2, 4] s: " + scheduled);
        assertTrue(max - min >= 1, "the delays spread over at least half of the 2 s window: " + scheduled);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE channel = ? AND assigned_at < run_after", channel),
                "no second attempt started before its time");
        double startedMin = Double.parseDouble(started.split(",")[0]);
        double startedMax = Double.parseDouble(started.split(",")[1]);
        assertTrue(startedMax - startedMin >= 1, "the second attempts spread over at least half of the window: "
                + started);
    }

    @Test
    void a_channel_default_policy_and_timeout_apply_to_its_tasks_that_set_none() throws Exception {
        String channel = unique("chan");
        put("/api/v1/channel/" + channel + "/settings", Map.of("retryPolicy",
                Map.of("backoff", "exponential", "initialDelaySeconds", 40, "maxDelaySeconds", 60),
                "timeoutSeconds", 120)).then().statusCode(200);
        JsonPath settings = io.crewjvm.support.Api.get("/api/v1/channel/" + channel + "/settings").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(120, settings.getInt("timeoutSeconds"));
        assertEquals("exponential", settings.getString("retryPolicy.backoff"));
        String group = createGroup(unique("chan"));
        String plain = createTask(group, "plain", channel);
        String own = createTask(group, "own", channel, Map.of("retryPolicy", Map.of("backoff", "fixed"),
                "errorDelayInSeconds", 5, "timeoutSeconds", 7));
        for (String id : List.of(plain, own)) {
            String worker = "w-" + id;
            assertEquals(id, acquire(channel, worker).getString("task._id"));
            release(id, Map.of("workerId", worker, "error", "boom")).then().statusCode(200);
        }
        // The next attempt's time: the channel's policy, or the task's own.
        assertEquals(40, sql.count("SELECT round(extract(epoch FROM t.available_at - a.finished_at)) FROM task t "
                + "JOIN finished_attempt a ON a.task_id = t.id WHERE t.id = ?", plain), "the channel's first delay");
        assertEquals(5, sql.count("SELECT round(extract(epoch FROM t.available_at - a.finished_at)) FROM task t "
                + "JOIN finished_attempt a ON a.task_id = t.id WHERE t.id = ?", own), "the task's own fixed delay");
        sql.execute("UPDATE task SET run_after = NULL, available_at = NULL, state = 'ready' WHERE id IN (?, ?)",
                plain, own);
        assertEquals(plain, acquire(channel, "again").getString("task._id"));
        assertEquals(120, sql.count("SELECT extract(epoch FROM deadline_at - assigned_at) FROM task WHERE id = ?",
                plain), "the channel's timeout");
        assertEquals(own, acquire(channel, "again2").getString("task._id"));
        assertEquals(7, sql.count("SELECT extract(epoch FROM deadline_at - assigned_at) FROM task WHERE id = ?",
                own), "the task's own timeout");
        // Clearing the defaults: back to Crew's rule.
        put("/api/v1/channel/" + channel + "/settings", Map.of()).then().statusCode(200)
                .body("retryPolicy", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void a_permanent_error_with_four_attempts_left_fails_the_task_after_one_attempt() {
        String channel = unique("perm");
        String group = createGroup(unique("perm"));
        String id = createTask(group, "doomed", channel, Map.of("remainingAttempts", 5, "errorDelayInSeconds", 0));
        String child = createTask(group, "below", channel, Map.of("parentIds", List.of(id)));
        assertEquals(id, acquire(channel, "w").getString("task._id"));
        release(id, Map.of("workerId", "w", "error", Map.of("status", 400, "message", "invalid campaign"),
                "retryable", false)).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("failed"))
                .body("remainingAttempts", org.hamcrest.Matchers.equalTo(0));
        assertEquals(1, sql.count("SELECT count(*) FROM finished_attempt WHERE task_id = ?", id));
        assertEquals("failed", sql.text("SELECT outcome::text FROM finished_attempt WHERE task_id = ?", id));
        assertEquals("blocked", task(child).getString("state"));
        // A retry gives it attempts again, as for any failed task.
        post("/api/v1/task/" + id + "/retry", Map.of("remainingAttempts", 2)).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("ready"));
        assertEquals("waiting", task(child).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void new_fields_are_validated_and_a_refused_request_changes_nothing() {
        String channel = unique("bad");
        String group = createGroup(unique("bad"));
        List<Map<String, Object>> bad = List.of(
                Map.of("retryPolicy", "exponential"),
                Map.of("retryPolicy", Map.of("backoff", "linear")),
                Map.of("retryPolicy", Map.of("initialDelaySeconds", 1)),
                Map.of("retryPolicy", Map.of("backoff", "exponential", "factor", 11)),
                Map.of("retryPolicy", Map.of("backoff", "exponential", "factor", 0.5)),
                Map.of("retryPolicy", Map.of("backoff", "exponential", "initialDelaySeconds", 0)),
                Map.of("retryPolicy", Map.of("backoff", "exponential", "initialDelaySeconds", 10,
                        "maxDelaySeconds", 5)),
                Map.of("retryPolicy", Map.of("backoff", "exponential", "jitter", 1.5)),
                Map.of("retryPolicy", Map.of("backoff", "fixed", "factor", 2)),
                Map.of("retryPolicy", Map.of("backoff", "fixed", "retries", 2)),
                Map.of("timeoutSeconds", 0),
                Map.of("timeoutSeconds", "30"),
                Map.of("runWhen", "always"),
                Map.of("runWhen", true));
        for (Map<String, Object> fields : bad) {
            Map<String, Object> body = new HashMap<>(fields);
            body.put("name", "bad");
            body.put("channel", channel);
            post("/api/v1/task_group/" + group + "/tasks", body).then().statusCode(400)
                    .body("message", org.hamcrest.Matchers.notNullValue());
        }
        put("/api/v1/channel/" + channel + "/settings", Map.of("timeoutSeconds", -1)).then().statusCode(400);
        put("/api/v1/channel/" + channel + "/settings", Map.of("retryPolicy", Map.of("backoff", "x"))).then()
                .statusCode(400);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ?", group));
        assertEquals(0, sql.count("SELECT count(*) FROM channel_setting WHERE channel = ?", channel));
        String id = createTask(group, "ok", channel);
        assertEquals(id, acquire(channel, "w").getString("task._id"));
        String before = sql.text("SELECT row_to_json(t)::text FROM task t WHERE id = ?", id);
        release(id, Map.of("workerId", "w", "error", "x", "retryable", "no")).then().statusCode(400);
        release(id, Map.of("workerId", "w", "output", 1, "retryable", false)).then().statusCode(400);
        assertEquals(before, sql.text("SELECT row_to_json(t)::text FROM task t WHERE id = ?", id));
    }
}
