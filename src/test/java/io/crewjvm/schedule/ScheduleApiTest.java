package io.crewjvm.schedule;

import static io.crewjvm.schedule.Schedules.body;
import static io.crewjvm.schedule.Schedules.create;
import static io.crewjvm.schedule.Schedules.runs;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.tasksOfGroup;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule endpoints: shapes, policies' defaults, bad input, and daylight-saving days through the API. */
@QuarkusTest
class ScheduleApiTest {

    @Inject
    Sql sql;

    @Test
    void a_schedule_is_created_read_listed_changed_and_deleted() {
        String channel = unique("sched");
        JsonPath created = create(body(unique("nightly"), channel, Map.of("cron", "30 2 * * *",
                "timeZone", "America/New_York", "overlap", "skip", "catchUp", "all")));
        String id = created.getString("_id");
        assertEquals("30 2 * * *", created.getString("cron"));
        assertNull(created.get("everySeconds"));
        assertEquals("America/New_York", created.getString("timeZone"));
        assertEquals("skip", created.getString("overlap"));
        assertEquals("all", created.getString("catchUp"));
        assertEquals(false, created.getBoolean("isPaused"));
        assertEquals("nightly {fireTime}", created.getString("template.group.name"));
        assertTrue(created.getString("nextFireTime").matches("\\d{4}-\\d\\d-\\d\\dT(06|07):30:00\\.000Z"),
                created.getString("nextFireTime"));
        assertNull(created.get("lastRun"));

        get("/api/v1/schedule/" + id).then().statusCode(200).body("name", notNullValue());
        List<String> ids = get("/api/v1/schedules?limit=0").then().statusCode(200).extract().jsonPath()
                .getList("_id");
        assertTrue(ids.contains(id));

        JsonPath changed = put("/api/v1/schedule/" + id, body("renamed", channel, Map.of("everySeconds", 90)))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("renamed", changed.getString("name"));
        assertEquals(90, changed.getInt("everySeconds"));
        assertNull(changed.get("cron"));
        assertEquals("allow", changed.getString("overlap"));
        assertEquals("latest", changed.getString("catchUp"));
        assertEquals("UTC", changed.getString("timeZone"));

        given().when().delete("/api/v1/schedule/" + id).then().statusCode(200);
        get("/api/v1/schedule/" + id).then().statusCode(404).body("message", containsString(id));
        given().when().delete("/api/v1/schedule/" + id).then().statusCode(404);
    }

    @Test
    void next_fire_times_are_iso_instants_in_the_schedules_zone() {
        String id = create(body(unique("next"), unique("sched"), Map.of("cron", "0 9 * * 1-5",
                "timeZone", "Asia/Tokyo"))).getString("_id");
        List<String> next = get("/api/v1/schedule/" + id + "/next?count=5").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertEquals(5, next.size());
        for (String time : next) {
            assertTrue(time.endsWith("T00:00:00.000Z"), time); // 09:00 in Tokyo
        }
        assertEquals(5, get("/api/v1/schedule/" + id + "/next").then().statusCode(200).extract().jsonPath()
                .getList("$").size());
        get("/api/v1/schedule/" + id + "/next?count=0").then().statusCode(400);
        get("/api/v1/schedule/" + id + "/next?count=x").then().statusCode(400);
    }

    @Test
    void daylight_saving_days_fire_0230_exactly_once_at_the_documented_instant() {
        assertEquals(List.of("2027-03-13T07:30:00.000Z", "2027-03-14T07:00:00.000Z", "2027-03-15T06:30:00.000Z"),
                nextFrom("America/New_York", "2027-03-13T00:00:00Z"));
        assertEquals(List.of("2027-11-06T06:30:00.000Z", "2027-11-07T07:30:00.000Z", "2027-11-08T07:30:00.000Z"),
                nextFrom("America/New_York", "2027-11-06T00:00:00Z"));
        assertEquals(List.of("2027-03-27T01:30:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-29T00:30:00.000Z"),
                nextFrom("Europe/Berlin", "2027-03-27T00:00:00Z"));
        assertEquals(List.of("2027-10-30T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"),
                nextFrom("Europe/Berlin", "2027-10-30T00:00:00Z"));
    }

    private static List<String> nextFrom(String zone, String start) {
        String id = create(body(unique("dst"), unique("sched"), Map.of("cron", "30 2 * * *", "timeZone", zone,
                "startAt", start))).getString("_id");
        return get("/api/v1/schedule/" + id + "/next?count=3").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    @Test
    void run_now_creates_the_group_and_its_tasks_with_the_fire_time_in_their_input() {
        String channel = unique("sched");
        String id = create(body(unique("run"), channel, Map.of("isPaused", true))).getString("_id");
        JsonPath run = post("/api/v1/schedule/" + id + "/run", null).then().statusCode(200).extract().jsonPath();
        String group = run.getString("taskGroupId");
        String fireTime = run.getString("fireTime");
        assertEquals(true, run.getBoolean("manual"));
        assertNotNull(group);
        assertEquals("nightly " + fireTime, get("/api/v1/task_group/" + group).then().statusCode(200).extract()
                .path("name"));
        List<Map<String, Object>> tasks = tasksOfGroup(group);
        assertEquals(2, tasks.size());
        Map<String, Object> a = tasks.stream().filter(t -> t.get("name").equals("A")).findFirst().orElseThrow();
        Map<String, Object> b = tasks.stream().filter(t -> t.get("name").equals("B")).findFirst().orElseThrow();
        assertEquals(Map.of("n", 1, "fireTime", fireTime), a.get("input"));
        assertEquals(Map.of("fireTime", fireTime), b.get("input"));
        assertEquals(List.of(a.get("_id")), b.get("parentIds"));
        assertEquals("ready", a.get("state"));
        assertEquals("waiting", b.get("state"));
        List<Map<String, Object>> history = runs(id);
        assertEquals(1, history.size());
        assertEquals(group, history.get(0).get("taskGroupId"));
        assertEquals(group, get("/api/v1/schedule/" + id).then().extract().path("lastRun.taskGroupId"));
    }

    @Test
    void pause_stops_the_fire_times_and_resume_goes_on_from_now() {
        String id = create(body(unique("pause"), unique("sched"), Map.of())).getString("_id");
        JsonPath paused = post("/api/v1/schedule/" + id + "/pause", null).then().statusCode(200).extract().jsonPath();
        assertEquals(true, paused.getBoolean("isPaused"));
        assertNull(paused.get("nextFireTime"));
        JsonPath resumed = post("/api/v1/schedule/" + id + "/resume", null).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(false, resumed.getBoolean("isPaused"));
        assertTrue(Instant.parse(resumed.getString("nextFireTime")).isAfter(Instant.now().minusSeconds(60)));
    }

    @Test
    void bad_input_is_400_with_a_message_and_stores_nothing() {
        String channel = unique("sched");
        String name = unique("bad");
        List<Map<String, Object>> bad = List.of(
                body(name, channel, Map.of("cron", "61 * * * *")),
                body(name, channel, Map.of("cron", "* * * *")),
                body(name, channel, Map.of("cron", "0 0 31 2 *")),
                body(name, channel, Map.of("cron", "0 * * * *", "everySeconds", 60)),
                body(name, channel, Map.of("everySeconds", 0)),
                body(name, channel, Map.of("timeZone", "Mars/Olympus_Mons")),
                body(name, channel, Map.of("overlap", "sometimes")),
                body(name, channel, Map.of("catchUp", "most")),
                body(name, channel, Map.of("startAt", "2030-01-02T00:00:00Z", "endAt", "2030-01-01T00:00:00Z")),
                body(name, channel, Map.of("template", Map.of("tasks", List.of(
                        Map.of("_id", "a", "name", "A", "channel", channel, "parentIds", List.of("b")),
                        Map.of("_id", "b", "name", "B", "channel", channel, "parentIds", List.of("a")))))),
                body(name, channel, Map.of("template", Map.of("tasks", List.of(
                        Map.of("_id", "a", "name", "A", "channel", channel, "parentIds", List.of("zzz")))))),
                body(name, channel, Map.of("template", Map.of("tasks", List.of()))),
                body(name, channel, Map.of("template", Map.of("tasks", List.of(Map.of("_id", "a", "name", "A"))))),
                body(name, channel, Map.of("template", Map.of("tasks", List.of(
                        Map.of("name", "A", "channel", channel, "input", "text"))))),
                body(name, channel, Map.of("name", "")));
        for (Map<String, Object> request : bad) {
            var answer = post("/api/v1/schedules", request);
            assertEquals(400, answer.statusCode(), request + " answered " + answer.asString());
            assertNotNull(answer.jsonPath().getString("message"));
        }
        post("/api/v1/schedules", "[]").then().statusCode(400);
        assertEquals(0, sql.count("SELECT count(*) FROM schedule WHERE name = ?", name));
        post("/api/v1/schedule/nope/run", null).then().statusCode(400);
        post("/api/v1/schedule/000000000000000000000000/run", null).then().statusCode(404);
    }

    @Test
    void the_editor_previews_the_next_fire_times_without_storing() {
        String name = unique("preview");
        List<String> next = post("/api/v1/schedules/preview?count=3", body(name, unique("sched"),
                Map.of("cron", "0 12 * * *"))).then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(3, next.size());
        assertTrue(next.get(0).endsWith("T12:00:00.000Z"));
        assertEquals(0, sql.count("SELECT count(*) FROM schedule WHERE name = ?", name));
        post("/api/v1/schedules/preview", body(name, "c", Map.of("cron", "nope"))).then().statusCode(400)
                .body("message", containsString("cron"));
    }
}
