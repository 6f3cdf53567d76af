package io.crewjvm.schedule;

import static io.crewjvm.schedule.Schedules.body;
import static io.crewjvm.schedule.Schedules.create;
import static io.crewjvm.schedule.Schedules.runs;
import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Await;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Catch-up after downtime and the overlap policy, fired by the service's own tick on the database clock. */
@QuarkusTest
class SchedulePoliciesTest {

    private static final int HOUR = 3600;

    @Inject
    Sql sql;

    /**
     * Hourly schedules whose next fire time was five fire times ago, as the service finds them after it was down for
     * five hours: none creates no group for them, latest one (the newest), all five.
     */
    @Test
    void after_five_missed_fire_times_none_creates_0_groups_latest_1_and_all_5() throws InterruptedException {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5 * HOUR - HOUR / 2);
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String policy : List.of("none", "latest", "all")) {
            ids.put(policy, create(body(unique("catchup-" + policy), unique("sched"), Map.of("catchUp", policy,
                    "startAt", start.toString()))).getString("_id"));
        }
        for (String id : ids.values()) {
            assertEquals(start.plusSeconds(5 * HOUR), nextFireAt(id), "the first fire time after creation");
            sql.execute("UPDATE schedule SET next_fire_at = start_at WHERE id = ?", id); // down since then
        }
        for (String id : ids.values()) {
            Await.until("the tick looked at " + id, Duration.ofSeconds(30),
                    () -> start.plusSeconds(5 * HOUR).equals(nextFireAt(id)));
        }
        assertEquals(0, runs(ids.get("none")).size());
        List<Map<String, Object>> latest = runs(ids.get("latest"));
        assertEquals(1, latest.size());
        assertEquals(start.plusSeconds(4 * HOUR), Instant.parse((String) latest.get(0).get("fireTime")));
        List<Map<String, Object>> all = runs(ids.get("all"));
        assertEquals(5, all.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(start.plusSeconds((4 - i) * HOUR), Instant.parse((String) all.get(i).get("fireTime")));
            assertNotNull(all.get(i).get("taskGroupId"));
        }
        assertEquals(5, sql.count("SELECT count(*) FROM task_group WHERE id IN (SELECT task_group_id FROM "
                + "schedule_run WHERE schedule_id = ?)", ids.get("all")));
    }

    /**
     * Every 2 s with overlap skip, while the first group's only task runs for 5 s: no second group, the fire times
     * in between recorded as skipped; once it completes, the next fire time creates a group again.
     */
    @Test
    void overlap_skip_creates_no_group_while_the_previous_one_runs_and_records_the_skips() throws Exception {
        String channel = unique("overlap");
        String id = create(body(unique("overlap"), channel, Map.of("everySeconds", 2, "overlap", "skip",
                "template", Map.of("tasks", List.of(Map.of("name", "slow", "channel", channel)))))).getString("_id");
        Await.until("the first run", Duration.ofSeconds(15), () -> !runs(id).isEmpty());
        String first = (String) runs(id).get(0).get("taskGroupId");
        assertNotNull(first);
        JsonPath leased = acquire(channel, "slow-worker");
        String task = leased.getString("task._id");
        assertEquals(first, leased.getString("task.taskGroupId"));
        Thread.sleep(5_000); // the group's work takes 5 s
        List<Map<String, Object>> whileRunning = runs(id);
        complete(task, "slow-worker", Map.of("done", true));
        List<Map<String, Object>> skipped = whileRunning.stream().filter(r -> r.get("skipped") != null).toList();
        assertEquals(1, whileRunning.stream().filter(r -> r.get("taskGroupId") != null).count(),
                "no second group while the first ran: " + whileRunning);
        assertTrue(skipped.size() >= 2, "the fire times of the 5 s were recorded as skipped: " + whileRunning);
        for (Map<String, Object> run : skipped) {
            assertTrue(((String) run.get("skipped")).contains(first), run.toString());
            assertNull(run.get("taskGroupId"));
        }
        Await.until("a group after the first completed", Duration.ofSeconds(15), () -> runs(id).stream()
                .map(r -> r.get("taskGroupId")).filter(Objects::nonNull).count() == 2);
        assertEquals(0, sql.count("SELECT count(*) - count(DISTINCT fire_time) FROM schedule_run "
                + "WHERE schedule_id = ?", id), "one run per fire time");
    }

    private Instant nextFireAt(String id) {
        String text = sql.text("SELECT to_char(next_fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                + "FROM schedule WHERE id = ?", id);
        return text == null ? null : Instant.parse(text);
    }
}
