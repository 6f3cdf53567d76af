package io.crewjvm.reporting;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every reporting view of docs/reporting.md on known data: one channel and group with a task that succeeded at
 * once, one that succeeded at its second attempt, one that failed, one abandoned by its worker, and one blocked
 * below the failure; and a workgroup paused, resumed and paused again.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportingViewsTest {

    @Inject
    AgroalDataSource dataSource;

    private String channel;
    private String group;
    private String once;
    private String retried;
    private String failed;
    private String blocked;
    private String abandoned;

    /** Once for all tests (one instance per class); not in @BeforeAll, where the HTTP port is not set yet. */
    @BeforeEach
    void knownData() throws InterruptedException {
        if (channel != null) {
            return;
        }
        channel = unique("report");
        group = createGroup(channel);
        once = createTask(group, "once", channel);
        succeed(once);
        retried = createTask(group, Map.of("name", "retried", "channel", channel, "remainingAttempts", 2,
                "errorDelayInSeconds", 0)).getString("_id");
        fail(retried, "boom");
        succeed(retried);
        failed = createTask(group, Map.of("name", "failed", "channel", channel, "remainingAttempts", 1))
                .getString("_id");
        blocked = createTask(group, Map.of("name", "blocked", "channel", channel, "parentIds", List.of(failed)))
                .getString("_id");
        fail(failed, "fatal");
        abandoned = createTask(group, Map.of("name", "abandoned", "channel", channel, "remainingAttempts", 1))
                .getString("_id");
        post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "gone", "leaseSeconds", 1)).then()
                .statusCode(200);
        Instant deadline = Instant.now().plusSeconds(20);
        while (rows("SELECT 1 FROM task WHERE id = ? AND state = 'failed'", abandoned).isEmpty()) {
            assertTrue(Instant.now().isBefore(deadline), "the reclaimer did not take the expired lease");
            Thread.sleep(100);
        }
    }

    @Test
    void task_timing_has_wait_run_and_attempts_of_each_task() {
        Map<String, Map<String, Object>> byTask = new LinkedHashMap<>();
        rows("SELECT * FROM report_task_timing WHERE channel = ?", channel)
                .forEach(r -> byTask.put((String) r.get("task_id"), r));
        assertEquals(5, byTask.size());
        assertEquals(1, byTask.get(once).get("attempts"));
        assertEquals(2, byTask.get(retried).get("attempts"));
        assertEquals("complete", byTask.get(retried).get("state"));
        for (String id : List.of(once, retried)) {
            assertTrue(number(byTask.get(id), "wait_seconds") >= 0);
            assertTrue(number(byTask.get(id), "run_seconds") >= 0);
            assertTrue(number(byTask.get(id), "total_seconds") >= number(byTask.get(id), "run_seconds"));
        }
        assertNull(byTask.get(failed).get("run_seconds"), "no successful attempt");
        assertNotNull(byTask.get(failed).get("first_acquired_at"));
        assertNull(byTask.get(blocked).get("first_acquired_at"), "never ran");
    }

    @Test
    void channel_durations_count_and_summarise_the_channel() {
        Map<String, Object> row = only("SELECT * FROM report_channel_durations WHERE channel = ?", channel);
        assertEquals(5, row.get("tasks"));
        assertEquals(2, row.get("completed"));
        assertEquals(2, row.get("failed"));
        assertEquals(1.5, number(row, "attempts_avg"), 1e-9);
        assertTrue(number(row, "run_p95_seconds") >= number(row, "run_p50_seconds"));
        assertTrue(number(row, "wait_p95_seconds") >= number(row, "wait_p50_seconds"));
        assertTrue(number(row, "run_max_seconds") >= number(row, "run_p95_seconds"));
    }

    @Test
    void hourly_throughput_counts_finished_attempts_by_outcome() {
        Map<String, Object> row = only("SELECT sum(completed)::int AS completed, sum(failed)::int AS failed, "
                + "sum(abandoned)::int AS abandoned, sum(merged)::int AS merged, count(*)::int AS hours "
                + "FROM report_throughput_hourly WHERE channel = ?", channel);
        assertEquals(2, row.get("completed"));
        assertEquals(2, row.get("failed"));
        assertEquals(1, row.get("abandoned"));
        assertEquals(0, row.get("merged"));
        assertTrue((int) row.get("hours") >= 1);
    }

    @Test
    void failures_list_each_failed_or_abandoned_attempt_with_its_error() {
        List<Map<String, Object>> rows = rows(
                "SELECT task_id, outcome, error::text AS error, task_state, worker_id FROM report_failures "
                        + "WHERE channel = ? ORDER BY finished_at", channel);
        assertEquals(3, rows.size());
        assertEquals(List.of(retried, failed, abandoned), rows.stream().map(r -> r.get("task_id")).toList());
        assertTrue(((String) rows.get(0).get("error")).contains("boom"));
        assertEquals("complete", rows.get(0).get("task_state"), "the retry succeeded");
        assertTrue(((String) rows.get(1).get("error")).contains("fatal"));
        assertEquals("failed", rows.get(1).get("task_state"));
        assertEquals("abandoned", rows.get(2).get("outcome"));
        assertEquals("gone", rows.get(2).get("worker_id"));
        assertTrue(((String) rows.get(2).get("error")).contains("Task not completed"));
    }

    @Test
    void group_progress_counts_states_and_weighs_progress_as_the_api_does() {
        Map<String, Object> row = only("SELECT * FROM report_group_progress WHERE group_id = ?", group);
        assertEquals(5, row.get("total_tasks"));
        assertEquals(2, row.get("complete_tasks"));
        assertEquals(2, row.get("failed_tasks"));
        assertEquals(1, row.get("blocked_tasks"));
        assertEquals(0, row.get("running_tasks"));
        assertEquals(0.4, number(row, "progress"), 1e-9);
        assertNull(row.get("completed_at"));
        assertEquals(0.4, io.crewjvm.support.Api.get("/api/v1/task_group/" + group).then()
                .statusCode(200).extract().jsonPath().getDouble("progress"), 1e-9, "the same as the API");
    }

    @Test
    void workgroup_pauses_record_each_pause_and_when_it_ended() {
        String workgroup = unique("wg");
        post("/api/v1/workgroup/" + workgroup + "/pause", Map.of("seconds", 600, "reason", "rate limited")).then()
                .statusCode(200);
        post("/api/v1/workgroup/" + workgroup + "/resume", null).then().statusCode(200);
        post("/api/v1/workgroup/" + workgroup + "/pause", Map.of("seconds", 300)).then().statusCode(200);

        List<Map<String, Object>> pauses = rows(
                "SELECT * FROM report_workgroup_pauses WHERE workgroup = ? ORDER BY paused_at", workgroup);
        assertEquals(2, pauses.size());
        assertEquals("rate limited", pauses.get(0).get("reason"));
        assertNotNull(pauses.get(0).get("ended_at"), "resumed");
        assertTrue(number(pauses.get(0), "paused_seconds") < 600, "ended by the resume, not at its planned end");
        assertNull(pauses.get(1).get("ended_at"), "still paused");
    }

    private void succeed(String id) {
        String acquired = post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w")).then()
                .statusCode(200).extract().path("task._id");
        assertEquals(id, acquired);
        post("/api/v1/task/" + id + "/release", Map.of("workerId", "w", "output", Map.of("ok", true))).then()
                .statusCode(200);
    }

    private void fail(String id, String error) {
        String acquired = post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w")).then()
                .statusCode(200).extract().path("task._id");
        assertEquals(id, acquired);
        post("/api/v1/task/" + id + "/release", Map.of("workerId", "w", "error", error)).then().statusCode(200);
    }

    private static double number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        assertNotNull(value, column);
        return ((Number) value).doubleValue();
    }

    private Map<String, Object> only(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        assertEquals(1, rows.size(), sql);
        return rows.get(0);
    }

    private List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
