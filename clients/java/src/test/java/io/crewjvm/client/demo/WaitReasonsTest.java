package io.crewjvm.client.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reasons read from tasks shaped as GET /api/v1/task_group/{id}/tasks returns them. */
class WaitReasonsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant C_DONE = Instant.parse("2026-12-06T23:34:57.256Z");

    private static Map<String, Object> task(String id, String name, String state, Instant createdAt,
                                            Instant completedAt, Instant runAfter, String... parentIds) {
        Map<String, Object> task = new HashMap<>();
        task.put("_id", id);
        task.put("name", name);
        task.put("state", state);
        task.put("createdAt", createdAt.toString());
        task.put("completedAt", completedAt == null ? null : completedAt.toString());
        task.put("runAfter", runAfter == null ? null : runAfter.toString());
        task.put("parentIds", Arrays.asList(parentIds));
        task.put("workgroup", null);
        task.put("errors", List.of());
        return task;
    }

    private static JsonNode tasks(List<Map<String, Object>> tasks) {
        return MAPPER.valueToTree(tasks);
    }

    /** The demo group while Task C's children wait: as the service listed it, with an 18 s children's delay. */
    private static List<Map<String, Object>> demoWithChildrenDelayed() {
        Instant created = Instant.parse("2026-12-06T23:34:53.489Z");
        Instant delayEnd = C_DONE.plusSeconds(18);
        List<Map<String, Object>> tasks = new ArrayList<>();
        tasks.add(task("d", "Child ' \" D Quotes", "waiting", C_DONE, null, delayEnd, "b", "c"));
        tasks.add(task("c", "Child C", "waiting", C_DONE, null, delayEnd, "a"));
        tasks.add(task("b", "Child B", "waiting", C_DONE, null, Instant.parse("2026-12-06T23:35:01.731Z"), "a"));
        tasks.add(task("a", "Child A", "scheduled", C_DONE, null, delayEnd, "C"));
        tasks.add(task("C", "Task C", "complete", created, C_DONE, null, "A", "B"));
        tasks.add(task("B", "Task B", "complete", created, Instant.parse("2026-12-06T23:34:54.237Z"), null));
        tasks.add(task("A", "Task A", "complete", created, Instant.parse("2026-12-06T23:34:56.606Z"), null));
        return tasks;
    }

    @Test
    void the_children_of_a_continuation_wait_for_its_childrens_delay() {
        assertEquals(List.of("4 children of \"Task C\" start in 12 s (childrenDelayInSeconds)"),
                WaitReasons.of(tasks(demoWithChildrenDelayed()), Map.of(), C_DONE.plusSeconds(6)));
        assertEquals(List.of("4 children of \"Task C\" start in 1 s (childrenDelayInSeconds)"),
                WaitReasons.of(tasks(demoWithChildrenDelayed()), Map.of(), C_DONE.plusMillis(17_900)));
    }

    @Test
    void once_the_delay_is_over_the_children_start_now_and_then_nothing_waits_on_the_clock() {
        assertEquals(List.of("4 children of \"Task C\" start now (childrenDelayInSeconds)"),
                WaitReasons.of(tasks(demoWithChildrenDelayed()), Map.of(), C_DONE.plusSeconds(18)));
        List<Map<String, Object>> ready = demoWithChildrenDelayed();
        ready.get(3).put("state", "ready");
        assertEquals(List.of(), WaitReasons.of(tasks(ready), Map.of(), C_DONE.plusSeconds(18)));
        List<Map<String, Object>> running = demoWithChildrenDelayed();
        running.get(3).put("state", "running");
        assertEquals(List.of(), WaitReasons.of(tasks(running), Map.of(), C_DONE.plusSeconds(19)));
        List<Map<String, Object>> retried = demoWithChildrenDelayed();
        retried.get(3).put("runAfter", C_DONE.plusSeconds(48).toString());
        retried.get(3).put("errors", List.of("HTTP 503"));
        assertEquals(List.of("\"Child A\" is retried in 10 s (errorDelayInSeconds)"),
                WaitReasons.of(tasks(retried), Map.of(), C_DONE.plusSeconds(38)));
    }

    @Test
    void children_with_runafters_of_their_own_and_no_childrens_delay_are_scheduled_by_their_runafter() {
        List<Map<String, Object>> tasks = demoWithChildrenDelayed();
        tasks.get(0).put("runAfter", null);
        tasks.get(1).put("runAfter", null);
        tasks.get(3).put("runAfter", C_DONE.plusMillis(9_431).toString());
        List<String> reasons = WaitReasons.of(tasks(tasks), Map.of(), C_DONE.plusSeconds(2));
        assertEquals(List.of("\"Child A\" starts in 8 s (runAfter)"), reasons);
    }

    @Test
    void scheduled_tasks_wait_for_their_runafter_or_their_error_delay() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        Instant created = now.minusSeconds(30);
        Map<String, Object> later = task("1", "later", "scheduled", created, null, now.plusSeconds(5));
        Map<String, Object> muchLater = task("2", "much later", "scheduled", created, null, now.plusMillis(39_200));
        Map<String, Object> flaky = task("3", "flaky", "scheduled", created, null, now.plusSeconds(25));
        flaky.put("errors", List.of("HTTP 503"));
        Map<String, Object> ready = task("4", "ready", "ready", created, null, null);
        assertEquals(List.of("\"later\" starts in 5 s (runAfter)",
                "\"flaky\" is retried in 25 s (errorDelayInSeconds)"),
                WaitReasons.of(tasks(List.of(later, flaky, ready)), Map.of(), now));
        assertEquals(List.of("2 tasks start in 5 to 40 s (runAfter)"),
                WaitReasons.of(tasks(List.of(later, muchLater)), Map.of(), now));
        assertEquals(List.of("\"later\" starts now (runAfter)"),
                WaitReasons.of(tasks(List.of(later)), Map.of(), now.plusSeconds(5)));
    }

    @Test
    void tasks_of_a_paused_workgroup_wait_for_the_pause_to_end() throws Exception {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        Map<String, Object> held = task("1", "post ad", "scheduled", now.minusSeconds(3), null, null);
        held.put("workgroup", "facebook");
        Map<String, Object> below = task("2", "report", "waiting", now.minusSeconds(3), null, null, "1");
        below.put("workgroup", "facebook");
        Map<String, Object> elsewhere = task("3", "other", "scheduled", now.minusSeconds(3), null, now.plusSeconds(2));
        elsewhere.put("workgroup", "google");
        JsonNode groupTasks = tasks(List.of(held, below, elsewhere));
        assertTrue(WaitReasons.anyInWorkgroup(groupTasks));
        JsonNode workgroups = MAPPER.readTree("""
                [{"name" : "facebook", "isPaused" : true, "pausedUntil" : "2026-12-06T12:00:07.400Z",
                  "reason" : "rate limit", "taskCounts" : {"scheduled" : 1, "waiting" : 1}},
                 {"name" : "google", "isPaused" : false, "pausedUntil" : null, "reason" : null, "taskCounts" : {}}]""");
        Map<String, WaitReasons.Pause> pauses = WaitReasons.pauses(workgroups);
        assertEquals(List.of("workgroup \"facebook\" paused for 8 s more: \"rate limit\" (2 tasks)",
                "\"other\" starts in 2 s (runAfter)"), WaitReasons.of(groupTasks, pauses, now));
        assertEquals(List.of("\"other\" starts now (runAfter)"), WaitReasons.of(groupTasks, pauses, now.plusSeconds(8)),
                "the pause is over");
        assertFalse(WaitReasons.anyInWorkgroup(tasks(demoWithChildrenDelayed())));
    }
}
