package io.crewjvm.workgroup;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.delete;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Caps, budgets, nesting, feedback and fairness of workgroups, enforced at acquire, checked from the attempt ledger
 * in SQL (support/Sql): many real HTTP workers at once where the claim is about concurrency.
 */
@QuarkusTest
class FlowControlTest {

    @Inject
    Sql sql;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URI base;

    /** The most attempts of a workgroup's tasks that were leased at the same time, from the ledger. */
    private long mostOverlapping(String workgroup) {
        return sql.count("SELECT coalesce(max(s), 0) FROM (SELECT sum(d) OVER (ORDER BY at, d ROWS UNBOUNDED PRECEDING) s "
                + "FROM (SELECT a.acquired_at AS at, 1 AS d FROM finished_attempt a JOIN task t ON t.id = a.task_id "
                + "      WHERE t.workgroup = ? "
                + "      UNION ALL SELECT a.finished_at, -1 FROM finished_attempt a JOIN task t ON t.id = a.task_id "
                + "      WHERE t.workgroup = ?) e) x", workgroup, workgroup);
    }

    /** The most leases of the given workgroups' tasks that began within any one second, from the ledger. */
    private long mostInOneSecond(String... workgroups) {
        return sql.count("SELECT coalesce(max(n), 0) FROM (SELECT count(*) OVER (ORDER BY a.acquired_at "
                + "RANGE BETWEEN CURRENT ROW AND interval '999 milliseconds' FOLLOWING) n "
                + "FROM finished_attempt a JOIN task t ON t.id = a.task_id WHERE t.workgroup = ANY(?)) x",
                (Object) workgroups);
    }

    /** crew_workgroup_throttled_acquires_total of a workgroup in /q/metrics, 0 when it has no series yet. */
    private static double throttledAcquires(String workgroup) {
        Matcher m = Pattern.compile("crew_workgroup_throttled_acquires_total\\{workgroup=\"" + Pattern.quote(workgroup)
                + "\"} ([0-9.E]+)").matcher(get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void limits(String workgroup, Map<String, Object> limits) {
        put("/api/v1/workgroup/" + workgroup, limits).then().statusCode(200);
    }

    private static List<String> createMany(String group, String channel, String workgroup, int n) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                Map<String, Object> task = new HashMap<>(Map.of("name", "t" + i, "channel", channel));
                if (workgroup != null) {
                    task.put("workgroup", workgroup);
                }
                tasks.add(task);
            }
            ids.addAll(post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200)
                    .extract().jsonPath().getList("_id"));
        }
        return ids;
    }

    /**
     * Workers that acquire and complete tasks of a channel, each holding a task for {@code holdMillis}: the JDK's
     * HttpClient, as a worker would use it (RestAssured is not made for many threads at once).
     */
    private List<Future<Integer>> workers(ExecutorService pool, int n, String channel, long holdMillis,
                                          long untilMillis) {
        Http http = new Http(base);
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            String worker = "w" + w;
            done.add(pool.submit(() -> {
                int worked = 0;
                while (System.currentTimeMillis() < untilMillis) {
                    JsonNode task = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", worker))
                            .json().get("task");
                    if (task == null || task.isNull()) {
                        Thread.sleep(20);
                        continue;
                    }
                    Thread.sleep(holdMillis);
                    http.post("api/v1/task/" + task.get("_id").asText() + "/release",
                            Map.of("workerId", worker, "output", Map.of("ok", true)));
                    worked++;
                }
                return worked;
            }));
        }
        return done;
    }

    @Test
    void bad_limits_are_400_and_change_nothing() {
        String wg = unique("wg");
        limits(wg, Map.of("maxRunning", 3));
        for (Map<String, Object> bad : List.of(
                Map.<String, Object>of("maxRunning", 0),
                Map.<String, Object>of("maxRunning", -2),
                Map.<String, Object>of("maxRunning", "five"),
                Map.<String, Object>of("rate", Map.of("limit", 10, "periodSeconds", 0)),
                Map.<String, Object>of("rate", Map.of("limit", -1, "periodSeconds", 1)),
                Map.<String, Object>of("rate", Map.of("periodSeconds", 1)),
                Map.<String, Object>of("rate", 5),
                Map.<String, Object>of("parent", unique("nobody")),
                Map.<String, Object>of("parent", wg))) {
            put("/api/v1/workgroup/" + wg, bad).then().statusCode(400).body("message", notNullValue());
        }
        String child = unique("child");
        limits(child, Map.of("parent", wg));
        put("/api/v1/workgroup/" + wg, Map.of("parent", child)).then().statusCode(400)
                .body("message", containsString("cycle"));
        JsonPath after = get("/api/v1/workgroup/" + wg).then().statusCode(200).extract().jsonPath();
        assertEquals(3, after.getInt("maxRunning"));
        assertNull(after.get("rate"));
        assertNull(after.get("parent"));
        put("/api/v1/channel/" + unique("c"), Map.of("fairness", "random")).then().statusCode(400);
        String group = createGroup(unique("g"));
        String channel = unique("bad");
        post("/api/v1/task_group/" + group + "/tasks", Map.of("name", "t", "channel", channel, "rateUnits", 0))
                .then().statusCode(400).body("message", containsString("rateUnits"));
        String leased = createTask(group, "t", channel, Map.of("workgroup", wg));
        assertEquals(leased, acquire(channel, "w").getString("task._id"));
        for (Object budget : List.of(Map.of("remaining", -1, "resetInSeconds", 5), Map.of("remaining", 1), 7)) {
            release(leased, Map.of("workerId", "w", "output", 1, "workgroupBudget", budget)).then().statusCode(400)
                    .body("message", containsString("workgroupBudget"));
        }
        assertEquals("running", task(leased).getString("state"), "a refused release changes nothing");
    }

    @Test
    void limits_are_read_back_and_removed_with_null() {
        String app = unique("app");
        String account = unique("acct");
        limits(app, Map.of("rate", Map.of("limit", 15, "periodSeconds", 1)));
        limits(account, Map.of("maxRunning", 5, "rate", Map.of("limit", 10, "periodSeconds", 2, "burst", 4),
                "parent", app));
        JsonPath read = get("/api/v1/workgroup/" + account).then().statusCode(200).extract().jsonPath();
        assertEquals(5, read.getInt("maxRunning"));
        assertEquals(10.0, read.getDouble("rate.limit"));
        assertEquals(2.0, read.getDouble("rate.periodSeconds"));
        assertEquals(4.0, read.getDouble("rate.burst"));
        assertEquals(app, read.getString("parent"));
        assertEquals(0, read.getInt("running"));
        assertEquals(4, read.getInt("unitsLeft"));
        assertEquals(15.0, get("/api/v1/workgroup/" + app).then().extract().jsonPath().getDouble("rate.burst"));
        Map<String, Object> removal = new HashMap<>();
        removal.put("maxRunning", null);
        removal.put("rate", null);
        removal.put("parent", null);
        put("/api/v1/workgroup/" + account, removal).then().statusCode(200);
        JsonPath removed = get("/api/v1/workgroup/" + account).then().extract().jsonPath();
        assertNull(removed.get("maxRunning"));
        assertNull(removed.get("rate"));
        assertNull(removed.get("parent"));
        assertTrue(get("/api/v1/workgroups").then().statusCode(200).extract().jsonPath()
                .getList("name").contains(account));
    }

    @Test
    void a_cap_holds_under_sixteen_concurrent_workers_and_every_end_of_a_lease_frees_its_slot() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("cap");
        String wg = unique("capped");
        limits(wg, Map.of("maxRunning", 3));
        createMany(group, channel, wg, 120);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            long until = System.currentTimeMillis() + 60_000;
            List<Future<Integer>> done = workers(pool, 16, channel, 30, until);
            long deadline = System.currentTimeMillis() + 60_000;
            while (sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'complete'", channel) < 120
                    && System.currentTimeMillis() < deadline) {
                assertTrue(sql.count("SELECT workgroup_running(w) FROM workgroup w WHERE name = ?", wg) <= 3);
                Thread.sleep(50);
            }
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(120, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'complete'", channel));
        assertTrue(mostOverlapping(wg) <= 3, "at most 3 leases at once, the ledger shows " + mostOverlapping(wg));
        assertEquals(3, mostOverlapping(wg), "the cap is used, not just respected");
        assertEquals(0, sql.count("SELECT workgroup_running(w) FROM workgroup w WHERE name = ?", wg));
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_release_a_reset_and_a_deleted_task_free_their_slots() {
        String group = createGroup(unique("g"));
        String channel = unique("slots");
        String wg = unique("one");
        limits(wg, Map.of("maxRunning", 1));
        List<String> ids = createMany(group, channel, wg, 4);
        String first = acquire(channel, "w").getString("task._id");
        assertNull(acquire(channel, "w").get("task"), "the one slot is taken");
        assertTrue(throttledAcquires(wg) >= 1, "the acquire that found the cap full is counted");
        release(first, Map.of("workerId", "w", "error", "boom")).then().statusCode(200);
        String second = acquire(channel, "w").getString("task._id");
        assertNotNull(second, "a failure freed the slot");
        post("/api/v1/task/" + second + "/reset", Map.of()).then().statusCode(200);
        String third = acquire(channel, "w").getString("task._id");
        assertNotNull(third, "a reset freed the slot");
        delete("/api/v1/task/" + third).then().statusCode(200);
        assertNotNull(acquire(channel, "w").getString("task._id"), "a delete freed the slot");
        assertEquals(1, sql.count("SELECT workgroup_running(w) FROM workgroup w WHERE name = ?", wg));
        assertEquals(4, ids.size());
        Invariants.assertAll(sql);
    }

    /**
     * An acquire looks at the workgroups of a channel in its order and passes over the full ones to the first with
     * room, however far down it is; the full ones it passed over count as throttled, those after it were not looked
     * at and do not.
     */
    @Test
    void an_acquire_passes_over_full_workgroups_to_the_first_with_room_and_counts_only_those_it_passed() {
        String group = createGroup(unique("g"));
        String channel = unique("passing");
        List<String> workgroups = new ArrayList<>();
        Map<String, List<String>> tasks = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String wg = unique("full-" + i);
            limits(wg, Map.of("maxRunning", 1));
            workgroups.add(wg);
            tasks.put(wg, createMany(group, channel, wg, 2));
        }
        for (String wg : workgroups) {
            assertEquals(tasks.get(wg).get(0), acquire(channel, "w").getString("task._id"), "each one's first, in order");
        }
        assertNull(acquire(channel, "w").get("task"), "every workgroup is full");
        String freed = workgroups.get(13);
        release(tasks.get(freed).get(0), Map.of("workerId", "w", "output", Map.of())).then().statusCode(200);
        double passedBefore = throttledAcquires(workgroups.get(5));
        double afterBefore = throttledAcquires(workgroups.get(17));
        assertEquals(tasks.get(freed).get(1), acquire(channel, "w").getString("task._id"),
                "thirteen full workgroups ahead of it in order");
        assertEquals(passedBefore + 1, throttledAcquires(workgroups.get(5)), "a full workgroup passed over");
        assertEquals(afterBefore, throttledAcquires(workgroups.get(17)), "a workgroup after the one taken from");
        assertEquals(1, sql.count("SELECT workgroup_running(w) FROM workgroup w WHERE name = ?", freed));
        Invariants.assertAll(sql);
    }

    @Test
    void a_budget_of_20_per_second_hands_out_1000_tasks_in_50_seconds_and_never_40_in_one() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("budget");
        String wg = unique("rated");
        limits(wg, Map.of("rate", Map.of("limit", 20, "periodSeconds", 1, "burst", 20)));
        createMany(group, channel, wg, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.currentTimeMillis();
        try {
            workers(pool, 8, channel, 0, start + 70_000);
            while (sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'complete'", channel) < 1000
                    && System.currentTimeMillis() < start + 70_000) {
                Thread.sleep(100);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = sql.count("SELECT round(extract(epoch FROM max(a.acquired_at) - min(a.acquired_at)) * 1000) "
                + "FROM finished_attempt a JOIN task t ON t.id = a.task_id WHERE t.workgroup = ?", wg) / 1000.0;
        assertEquals(1000, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'complete'", channel));
        // 20 at once (the burst), then 980 at 20 per second: 49 s.
        assertTrue(seconds >= 45 && seconds <= 55, "1,000 tasks took " + seconds + " s");
        assertTrue(mostInOneSecond(wg) <= 40, "at most rate + burst in any second: " + mostInOneSecond(wg));
    }

    @Test
    void two_accounts_under_an_app_never_exceed_the_apps_budget_together() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("nested");
        String app = unique("app");
        String a = unique("acctA");
        String b = unique("acctB");
        limits(app, Map.of("rate", Map.of("limit", 15, "periodSeconds", 1)));
        limits(a, Map.of("rate", Map.of("limit", 10, "periodSeconds", 1), "parent", app));
        limits(b, Map.of("rate", Map.of("limit", 10, "periodSeconds", 1), "parent", app));
        createMany(group, channel, a, 150);
        createMany(group, channel, b, 150);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.currentTimeMillis();
        try {
            workers(pool, 8, channel, 0, start + 8_000);
            Thread.sleep(8_000);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        long leased = sql.count("SELECT count(*) FROM finished_attempt f JOIN task t ON t.id = f.task_id "
                + "WHERE t.workgroup = ANY(?)", (Object) new String[] {a, b});
        // 15 at once, then 15 per second for about 8 s.
        assertTrue(leased >= 90 && leased <= 15 + 15 * 9, "leased " + leased);
        assertTrue(mostInOneSecond(a, b) <= 30, "the app's rate + burst in any second: " + mostInOneSecond(a, b));
        assertTrue(mostInOneSecond(a) <= 20, "an account's own rate + burst: " + mostInOneSecond(a));
    }

    @Test
    void a_release_reporting_an_empty_budget_holds_the_workgroup_until_the_reset_and_no_other() throws Exception {
        for (boolean limited : List.of(true, false)) {
            String group = createGroup(unique("g"));
            String channel = unique("feedback");
            String wg = unique("reported");
            if (limited) {
                limits(wg, Map.of("maxRunning", 10));
            }
            createMany(group, channel, wg, 5);
            String other = createTask(group, "other", channel);
            String first = acquire(channel, "w").getString("task._id");
            release(first, Map.of("workerId", "w", "error", "429",
                    "workgroupBudget", Map.of("remaining", 0, "resetInSeconds", 5))).then().statusCode(200);
            assertEquals(5, task(first).getInt("remainingAttempts"), "a spent budget costs no attempt");
            JsonPath waiting = task(first);
            assertTrue(waiting.getList("waitingFor.reason").contains(limited ? "budget" : "workgroupPaused"),
                    waiting.getString("waitingFor"));
            long reported = System.currentTimeMillis();
            assertEquals(other, acquire(channel, "w").getString("task._id"), "other workgroups go on");
            while (System.currentTimeMillis() < reported + 4_000) {
                acquire(channel, "w");
                Thread.sleep(250);
            }
            // Judged on the database's clock, whatever the time a call takes: no lease of the workgroup began before
            // the reset it reported (the bucket's reset when it has limits, else the workgroup's pause).
            assertEquals(0, sql.count("SELECT count(*) FROM task t JOIN workgroup w ON w.name = t.workgroup "
                    + "WHERE t.workgroup = ? AND t.state = 'running' "
                    + "AND t.assigned_at < coalesce(w.units_at, w.paused_until)", wg),
                    "nothing of the workgroup before the reset");
            Thread.sleep(Math.max(0, reported + 6_500 - System.currentTimeMillis()));
            assertNotNull(acquire(channel, "w").getString("task._id"), "leased again after the reset");
        }
    }

    @Test
    void a_fair_channel_hands_out_a_small_workgroup_between_a_large_ones_tasks() {
        for (boolean fair : List.of(true, false)) {
            String group = createGroup(unique("g"));
            String channel = unique("fair");
            put("/api/v1/channel/" + channel, Map.of("fairness", fair ? "workgroup" : "none")).then().statusCode(200);
            String a = unique("big");
            String b = unique("small");
            createMany(group, channel, a, 10_000);
            List<String> small = createMany(group, channel, b, 100);
            List<String> leased = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                leased.addAll(post("/api/v1/channel/" + channel + "/acquire_batch",
                        Map.of("workerId", "w", "limit", 10)).then().statusCode(200).extract().jsonPath()
                        .getList("tasks.task._id"));
            }
            assertEquals(250, leased.size());
            long ofSmall = leased.stream().filter(small::contains).count();
            assertEquals(fair ? 100 : 0, ofSmall, fair ? "all of the small workgroup within 250" : "Crew's order");
        }
    }

    @Test
    void a_task_says_what_holds_it_and_a_paused_ancestor_holds_its_descendants() {
        String group = createGroup(unique("g"));
        String channel = unique("why");
        String app = unique("app");
        String account = unique("acct");
        limits(app, Map.of("maxRunning", 1));
        limits(account, Map.of("parent", app));
        String running = createTask(group, "running", channel, Map.of("workgroup", account));
        String capped = createTask(group, "capped", channel, Map.of("workgroup", account));
        assertEquals(running, acquire(channel, "w").getString("task._id"));
        JsonPath held = task(capped);
        assertEquals("ready", held.getString("state"));
        assertEquals(List.of("cap"), held.getList("waitingFor.reason"));
        assertEquals(app, held.getString("waitingFor[0].workgroup"));
        assertEquals(List.of(), task(running).getList("waitingFor"));
        String child = createTask(group, "child", channel, Map.of("parentIds", List.of(running)));
        assertEquals(List.of("parents"), task(child).getList("waitingFor.reason"));

        post("/api/v1/workgroup/" + app + "/pause", Map.of("seconds", 60)).then().statusCode(200);
        JsonPath paused = task(capped);
        assertEquals("scheduled", paused.getString("state"), "the app's pause holds the account's task");
        assertTrue(paused.getList("waitingFor.reason").contains("workgroupPaused"));
        String later = createTask(group, "later", channel, Map.of("workgroup", account));
        assertEquals("scheduled", task(later).getString("state"), "tasks created under a paused app are held");
        post("/api/v1/workgroup/" + app + "/resume", Map.of()).then().statusCode(200);
        assertEquals("ready", task(capped).getString("state"));
        JsonPath app1 = get("/api/v1/workgroup/" + app).then().extract().jsonPath();
        assertEquals(1, app1.getInt("running"));
        assertEquals(1, get("/api/v1/workgroup/" + account).then().extract().jsonPath().getInt("running"));
        Invariants.assertAll(sql);
    }

    @Test
    void the_end_of_a_lease_wakes_the_channels_acquirers_when_a_cap_of_its_chain_was_full_and_only_then()
            throws SQLException {
        String group = createGroup(unique("g"));
        String app = unique("app");
        String account = unique("acct");
        String roomy = unique("roomy");
        String lowered = unique("lowered");
        limits(app, Map.of("maxRunning", 1));
        limits(account, Map.of("maxRunning", 5, "parent", app));
        limits(roomy, Map.of("maxRunning", 5));
        limits(lowered, Map.of("maxRunning", 5));
        String full = unique("full");
        String notFull = unique("room");
        String loweredChannel = unique("lowered");
        String appTask = createTask(group, "a", full, Map.of("workgroup", account));
        String roomyTask = createTask(group, "r", notFull, Map.of("workgroup", roomy));
        String loweredTask = createTask(group, "l", loweredChannel, Map.of("workgroup", lowered));
        assertEquals(appTask, acquire(full, "w").getString("task._id"));
        assertEquals(roomyTask, acquire(notFull, "w").getString("task._id"));
        assertEquals(loweredTask, acquire(loweredChannel, "w").getString("task._id"));
        limits(lowered, Map.of("maxRunning", 1)); // full now, with no acquire since
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("LISTEN crew_ready");
            complete(roomyTask, "w", Map.of("ok", true));
            complete(appTask, "w", Map.of("ok", true));
            complete(loweredTask, "w", Map.of("ok", true));
            // Notifications arrive in commit order: the first two releases' are there once the last one's is.
            List<String> channels = new ArrayList<>();
            long until = System.currentTimeMillis() + 5_000;
            while (!channels.contains(loweredChannel) && System.currentTimeMillis() < until) {
                PGNotification[] heard = c.unwrap(PGConnection.class).getNotifications(500);
                for (PGNotification n : heard == null ? new PGNotification[0] : heard) {
                    channels.add(n.getParameter());
                }
            }
            assertTrue(channels.contains(full), "the app's only slot was taken: its channel is woken " + channels);
            assertTrue(channels.contains(loweredChannel), "a cap lowered to what runs is full " + channels);
            assertFalse(channels.contains(notFull), "a workgroup with room wakes nobody " + channels);
            st.execute("UNLISTEN crew_ready");
        }
    }
}
