package io.crewjvm.maintenance;

import static io.crewjvm.maintenance.Leases.await;
import static io.crewjvm.maintenance.Leases.createTasks;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A replica with {@code CREW_USE_EXTERNAL_CRON=yes} and {@code CREW_CLEAN_EXPIRED_GROUPS=no}: no scheduled job runs
 * here, so the reclaimers these tests start race only each other.
 */
@QuarkusTest
@TestProfile(ExternalCronTest.ExternalCron.class)
class ExternalCronTest {

    public static class ExternalCron implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crew.clean-expired-groups", "no", "crew.use-external-cron", "yes");
        }
    }

    private static final Logger LOG = Logger.getLogger(ExternalCronTest.class);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Inject
    Reclaimer reclaimer;

    @Inject
    ExpiredGroupCleaner cleaner;

    private String state(String id) {
        return sql.text("SELECT state::text FROM task WHERE id = ?", id);
    }

    @Test
    void clean_deletes_nothing_when_cleaning_is_switched_off() {
        String old = createGroup(unique("old"));
        String task = io.crewjvm.support.Api.createTask(old, "t", unique("c"));
        sql.execute("UPDATE task_group SET created_at = now() - interval '30 days' WHERE id = ?", old);
        given().when().post("/api/v1/clean?batch=100").then().statusCode(200).body("success", equalTo(true));
        assertEquals(0, cleaner.clean(100));
        get("/api/v1/task_group/" + old).then().statusCode(200);
        get("/api/v1/task/" + task).then().statusCode(200);
    }

    @Test
    void no_scheduled_job_runs_and_bootstrap_or_sync_run_the_reclaimer_and_the_promoter_once() throws Exception {
        Http http = new Http(base);
        String channel = unique("cron");
        createTasks(http, channel, 1, Map.of("errorDelayInSeconds", 0));
        String leased = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w",
                "leaseSeconds", 1)).json().get("task").get("_id").asText();
        String group = createGroup(unique("g"));
        String delayed = io.crewjvm.support.Api.createTask(group, Map.of("name", "later", "channel", unique("c"),
                "runAfter", Instant.now().plusSeconds(1).toString())).getString("_id");
        // Wait until, on the database clock, both are more than two scheduled intervals (1 s each) overdue.
        await("overdue", Duration.ofSeconds(10), () -> sql.count("SELECT count(*) FROM task WHERE id IN (?, ?) "
                + "AND coalesce(lease_expires_at, available_at) < now() - interval '2.5 seconds'", leased, delayed) == 2);
        assertEquals("running", state(leased), "no reclaimer runs on this replica");
        assertEquals("scheduled", state(delayed), "no promoter runs on this replica");

        given().when().get("/api/v1/bootstrap").then().statusCode(200).body(equalTo("{\"success\":true}"));
        assertEquals("ready", state(leased));
        assertEquals("ready", state(delayed));
        assertEquals("abandoned", sql.text("SELECT outcome::text FROM task_attempt WHERE task_id = ?", leased));

        http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w", "leaseSeconds", 1));
        await("expired", Duration.ofSeconds(5), () -> sql.count(
                "SELECT count(*) FROM task WHERE id = ? AND lease_expires_at < now()", leased) == 1);
        given().when().put("/api/v1/sync").then().statusCode(200).body("success", equalTo(true));
        assertEquals(2, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND outcome = 'abandoned'",
                leased));
        assertEquals(3, sql.count("SELECT remaining_attempts FROM task WHERE id = ?", leased));
        Invariants.assertAll(sql);
    }

    @Test
    void a_release_racing_the_reclaimers_has_exactly_one_winner_per_task() throws Exception {
        Http http = new Http(base);
        String channel = unique("race");
        int n = 300;
        String group = createTasks(http, channel, n, Map.of("errorDelayInSeconds", 0));
        List<String> ids = new ArrayList<>();
        for (var entry : http.post("api/v1/channel/" + channel + "/acquire_batch", Map.of("workerId", "racer",
                "limit", n, "leaseSeconds", 1)).json().get("tasks")) {
            ids.add(entry.get("task").get("_id").asText());
        }
        assertEquals(n, ids.size());
        await("the leases expire on the database clock", Duration.ofSeconds(5), () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND lease_expires_at >= now()", group) == 0);
        // Six workers release their expired tasks (a lease still belongs to its worker until it is reclaimed);
        // once a third is released, three reclaimers sweep while the releases go on.
        Map<String, Integer> status = new ConcurrentHashMap<>();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        List<Future<Integer>> releases = new ArrayList<>();
        List<Future<Integer>> reclaims = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            List<String> mine = ids.subList(w * n / 6, (w + 1) * n / 6);
            releases.add(pool.submit(() -> {
                gate.await();
                for (String id : mine) {
                    status.put(id, http.post("api/v1/task/" + id + "/release", Map.of("workerId", "racer",
                            "attempt", 1, "output", id)).status());
                }
                return 0;
            }));
        }
        for (int r = 0; r < 3; r++) {
            reclaims.add(pool.submit(() -> {
                gate.await();
                while (status.size() < n / 3) {
                    Thread.sleep(1);
                }
                return reclaimer.reclaimExpired();
            }));
        }
        gate.countDown();
        for (Future<Integer> release : releases) {
            release.get(2, TimeUnit.MINUTES);
        }
        int reclaimed = 0;
        for (Future<Integer> reclaim : reclaims) {
            reclaimed += reclaim.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        long won = status.values().stream().filter(s -> s == 200).count();
        long refused = status.values().stream().filter(s -> s == 409).count();
        LOG.infof("release vs reclaim: %d releases won, %d refused, %d reclaimed", won, refused, reclaimed);
        assertEquals(n, won + refused, "only 200 or 409: " + status);
        assertTrue(won >= n / 3, "the releases before the sweep all won");
        // The sweeps may also take back expired leases that other tests left in the database: count this group's.
        assertTrue(reclaimed >= refused, "the sweeps reclaimed " + reclaimed);
        assertEquals(refused, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'abandoned'", group),
                "every refused release lost to exactly one reclaim");
        for (String id : ids) {
            String outcomes = sql.text("SELECT string_agg(outcome::text, ',') FROM task_attempt WHERE task_id = ?", id);
            if (status.get(id) == 200) {
                assertEquals("completed", outcomes, id);
                assertEquals("complete", state(id));
                assertEquals("\"" + id + "\"", sql.text("SELECT output::text FROM task WHERE id = ?", id));
            } else {
                assertEquals("abandoned", outcomes, id);
                assertEquals("ready", state(id));
                assertEquals(4, sql.count("SELECT remaining_attempts FROM task WHERE id = ?", id));
            }
        }
        Invariants.assertAll(sql);
    }

    @Test
    void three_reclaimers_at_once_reclaim_each_expired_lease_exactly_once() throws Exception {
        Http http = new Http(base);
        String channel = unique("triple");
        int n = 3000;
        String group = createTasks(http, channel, n, Map.of("errorDelayInSeconds", 0));
        for (int i = 0; i < n / 1000; i++) {
            assertEquals(1000, http.post("api/v1/channel/" + channel + "/acquire_batch", Map.of("workerId", "gone-" + i,
                    "limit", 1000, "leaseSeconds", 1)).json().get("tasks").size());
        }
        await("every lease expired on the database clock", Duration.ofSeconds(10), () -> sql.count(
                "SELECT count(*) FROM task WHERE group_id = ? AND lease_expires_at >= now()", group) == 0);
        assertEquals(n, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'running'", group),
                "nothing reclaimed them yet");

        // Three replicas' reclaimers start at the same instant (each sweeps batches of 1,000 until none is full).
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(pool.submit(() -> {
                gate.await();
                return reclaimer.reclaimExpired();
            }));
        }
        gate.countDown();
        int total = 0;
        for (Future<Integer> run : runs) {
            total += run.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        // Expired leases that other tests left in the database may be among the total; the ledger below counts
        // this group's reclaims exactly.
        assertTrue(total >= n, "the three reclaimers together reclaimed " + total);
        assertEquals(0, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'running'", group));
        assertEquals(n, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.group_id = ? AND a.outcome = 'abandoned'", group));
        assertEquals(0, sql.count("SELECT count(*) FROM (SELECT a.task_id FROM task_attempt a JOIN task t "
                + "ON t.id = a.task_id WHERE t.group_id = ? GROUP BY a.task_id HAVING count(*) <> 1) x", group),
                "exactly one ledger row per task");
        assertEquals(n, sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'ready' "
                + "AND remaining_attempts = 4 AND json_array_length(errors) = 1", group),
                "one attempt consumed and one error recorded each, never two");
        Invariants.assertAll(sql);
    }
}
