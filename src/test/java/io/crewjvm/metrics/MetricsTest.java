package io.crewjvm.metrics;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /q/metrics in the Prometheus format: the series an operator alerts on, with the values the system has. */
@QuarkusTest
class MetricsTest {

    @Inject
    DatabaseGauges gauges;

    @Inject
    Sql sql;

    @Test
    void task_counts_backlog_age_and_workgroup_pauses_come_from_the_database() throws InterruptedException {
        String channel = unique("metrics");
        String workgroup = unique("wg");
        String group = createGroup(channel);
        String done = createTask(group, "done", channel);
        createTask(group, "waiting-in-line", channel);
        createTask(group, Map.of("name", "held", "channel", channel, "workgroup", workgroup));
        post("/api/v1/workgroup/" + workgroup + "/pause", Map.of("seconds", 600)).then().statusCode(200);
        String acquired = post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w")).then()
                .statusCode(200).extract().path("task._id");
        post("/api/v1/task/" + acquired + "/release", Map.of("workerId", "w", "output", 1)).then().statusCode(200);

        // The shared snapshot is taken at most once per interval (1 s in tests): wait for one that has the tasks.
        awaitRefreshed("the task counts", m -> valueOrZero(m,
                "crew_tasks{channel=\"" + channel + "\",state=\"complete\"}") == 1.0);
        String metrics = scrape();
        assertEquals(1.0, value(metrics, "crew_tasks{channel=\"" + channel + "\",state=\"ready\"}"));
        assertEquals(1.0, value(metrics, "crew_tasks{channel=\"" + channel + "\",state=\"scheduled\"}"));
        assertTrue(value(metrics, "crew_backlog_age_seconds{channel=\"" + channel + "\"}") > 0);
        assertEquals(1.0, value(metrics, "crew_workgroup_paused{workgroup=\"" + workgroup + "\"}"));
        assertNotNull(value(metrics, "crew_task_dead_tuples"));
        assertNotNull(value(metrics, "agroal_active_count{datasource=\"default\"}"));
        assertTrue(value(metrics, "crew_acquire_seconds_count") >= 1);
        assertTrue(value(metrics, "crew_release_seconds_count") >= 1);

        post("/api/v1/workgroup/" + workgroup + "/resume", null).then().statusCode(200);
        gauges.refresh();
        assertEquals(0.0, value(scrape(), "crew_workgroup_paused{workgroup=\"" + workgroup + "\"}"),
                "a resumed workgroup reads 0, not the stale 1");
        assertFalse(metrics.contains(done) || metrics.contains(acquired), "task ids never become tags");
    }

    @Test
    void the_task_counts_are_taken_only_while_someone_scrapes() throws InterruptedException {
        String channel = unique("scraped");
        createTask(createGroup(channel), "counted", channel);
        scrape();
        gauges.refresh();
        // Nobody scrapes for longer than the window (two intervals of 1 s in tests, plus 2 s), then for three
        // more intervals: no pass over the table in those, however often the job runs.
        Thread.sleep(4_500);
        String before = sql.text("SELECT max(taken_at)::text FROM task_count_snapshot");
        Thread.sleep(3_000);
        gauges.refresh();
        assertEquals(before, sql.text("SELECT max(taken_at)::text FROM task_count_snapshot"),
                "counts taken with nobody scraping");

        double age = value(scrape(), "crew_task_counts_age_seconds");
        assertTrue(age >= 3, "the counts read as stale as they are: " + age);
        awaitRefreshed("a snapshot once scraped again",
                m -> !before.equals(sql.text("SELECT max(taken_at)::text FROM task_count_snapshot")));
        gauges.refresh();
        assertTrue(value(scrape(), "crew_task_counts_age_seconds") < 3);
    }

    @Test
    void storage_per_table_and_the_oldest_group_come_from_the_job_not_from_each_scrape() throws InterruptedException {
        createTask(createGroup(unique("storage")), "stored", unique("storage"));
        // Rows of a table that autovacuum leaves alone at this size (threshold 50 + 20 %): their dead tuples stay.
        for (int i = 0; i < 3; i++) {
            String operator = post("/api/v1/operators", Map.of("channel", unique("dead"), "url",
                    "http://127.0.0.1:9/", "isPaused", true)).then().statusCode(200).extract().path("_id");
            given().when().delete("/api/v1/operator/" + operator).then().statusCode(200);
        }
        awaitRefreshed("the operators' dead tuples", m -> valueOrZero(m, "crew_table_dead_tuples{table=\"operator\"}") >= 3);
        String metrics = scrape();
        for (String table : new String[] {"task", "task_group", "task_edge", "finished_attempt"}) {
            assertTrue(value(metrics, "crew_table_size_bytes{table=\"" + table + "\"}") >= 8192, table);
            assertTrue(value(metrics, "crew_table_indexes_size_bytes{table=\"" + table + "\"}") >= 8192, table);
            assertNotNull(value(metrics, "crew_table_live_tuples{table=\"" + table + "\"}"), table);
            assertNotNull(value(metrics, "crew_table_autovacuums{table=\"" + table + "\"}"), table);
        }
        assertTrue(value(metrics, "crew_table_live_tuples{table=\"task\"}") >= 1);
        // The task table's own pair stays, for the dashboards and alerts written against it.
        assertNotNull(value(metrics, "crew_task_dead_tuples"));
        assertEquals(7 * 86400.0, value(metrics, "crew_group_retention_seconds"), "CREW_EXPIRED_GROUP_INTERVAL_IN_DAYS");

        double oldest = Double.parseDouble(sql.text(
                "SELECT extract(epoch FROM now() - min(created_at))::text FROM task_group"));
        gauges.refresh();
        double reported = value(scrape(), "crew_oldest_group_age_seconds");
        assertTrue(reported >= oldest && reported < oldest + 5, reported + " against " + oldest);
        // A scrape reads the job's last values (the job runs every second in tests): five scrapes in a row see at
        // most two ages, where a scrape that queried would see five.
        java.util.Set<Double> ages = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            ages.add(value(scrape(), "crew_oldest_group_age_seconds"));
        }
        assertTrue(ages.size() <= 2, "ages " + ages);
    }

    @Test
    void every_crew_series_of_the_alert_rules_and_the_dashboard_is_exported() throws Exception {
        // A vacuumed table has its vacuum age; operators' counters and workgroups' gauges exist once there are some.
        sql.execute("VACUUM task_edge");
        Set<String> once = Set.of("crew_operator_calls_total", "crew_operator_failures_total", "crew_workgroup_paused");
        String channel = unique("series");
        createTask(createGroup(channel), "counted", channel);
        String acquired = post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w")).then()
                .statusCode(200).extract().path("task._id");
        post("/api/v1/task/" + acquired + "/release", Map.of("workerId", "w", "output", 1)).then().statusCode(200);
        scrape(); // the task counts are taken only once someone scrapes
        gauges.refresh();
        String metrics = scrape();
        Pattern series = Pattern.compile("\\b(crew_[a-z_]+)\\b");
        for (String file : new String[] {"deploy/prometheus-alerts.yaml", "deploy/grafana-dashboard.json"}) {
            Matcher m = series.matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            int found = 0;
            while (m.find()) {
                assertTrue(once.contains(m.group(1))
                                || Pattern.compile("^" + m.group(1) + "[{ ]", Pattern.MULTILINE).matcher(metrics).find(),
                        file + " uses " + m.group(1) + ", which /q/metrics does not have");
                found++;
            }
            assertTrue(found > 0, file);
        }
    }

    @Test
    void reclaimed_leases_and_operator_calls_are_counted() throws InterruptedException {
        double reclaimedBefore = valueOrZero(scrape(), "crew_reclaimed_tasks_total");
        String channel = unique("reclaim");
        String group = createGroup(channel);
        createTask(group, "abandoned", channel);
        post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w", "leaseSeconds", 1)).then()
                .statusCode(200);
        await("the reclaim counted", m -> valueOrZero(m, "crew_reclaimed_tasks_total") > reclaimedBefore);

        String operated = unique("operated");
        createTask(createGroup(operated), "delivered", operated);
        // Nothing listens there: the delivery fails, and counts as a call and a failure of the channel.
        String operator = post("/api/v1/operators", Map.of("channel", operated, "url", "http://127.0.0.1:9/"))
                .then().statusCode(200).extract().path("_id");
        try {
            await("the failed delivery counted",
                    m -> valueOrZero(m, "crew_operator_failures_total{channel=\"" + operated + "\"}") >= 1);
            assertTrue(value(scrape(), "crew_operator_calls_total{channel=\"" + operated + "\"}") >= 1);
        } finally {
            given().when().delete("/api/v1/operator/" + operator).then().statusCode(200);
        }
    }

    @Test
    void http_timers_are_tagged_by_route_template_not_by_path() {
        String id = "0123456789abcdef01234567";
        get("/api/v1/task/" + id).then().statusCode(404);
        String metrics = scrape();
        assertFalse(metrics.contains(id));
        assertTrue(metrics.contains("uri=\"/api/v1/task/{id}\""), "route templates as uri tags");
    }

    private static String scrape() {
        return get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private void awaitRefreshed(String what, Predicate<String> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            gauges.refresh();
            if (condition.test(scrape())) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    private static void await(String what, Predicate<String> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.test(scrape())) {
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private static double valueOrZero(String metrics, String series) {
        Double v = find(metrics, series);
        return v == null ? 0 : v;
    }

    private static Double value(String metrics, String series) {
        Double v = find(metrics, series);
        assertNotNull(v, series + " not in /q/metrics");
        return v;
    }

    /** The value of a series: the name with its labels exactly as given (labels sorted, as Prometheus writes). */
    private static Double find(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }
}
