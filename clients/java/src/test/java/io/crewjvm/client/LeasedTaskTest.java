package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeasedTaskTest {

    @Test
    void an_acquired_task_tells_its_attempt_lease_and_parents() {
        LeasedTask task = LeasedTask.of(Json.tree(Map.of(
                "task", Map.of("_id", "a1", "name", "join", "channel", "sum", "attempt", 2, "input", Map.of("x", 1),
                        "assignedAt", "2026-01-01T10:00:00.000Z", "leaseExpiresAt", "2026-01-01T10:01:30.000Z"),
                "parents", List.of(Map.of("_id", "p1", "channel", "sum", "input", 1, "output", 10)))));
        assertEquals("a1", task.id());
        assertEquals(2, task.attempt());
        assertEquals(Duration.ofSeconds(90), task.lease());
        assertEquals(1, task.input().get("x").asInt());
        assertEquals(1, task.parents().size());
        assertEquals("p1", task.parents().get(0).id());
        assertEquals(10, task.parents().get(0).output().asInt());
    }

    @Test
    void a_task_from_crew_1_0_25_has_no_attempt_and_no_lease() {
        LeasedTask task = LeasedTask.of(Json.tree(Map.of("task", Map.of("_id", "a1", "name", "t", "channel", "c"),
                "parents", List.of())));
        assertNull(task.attempt());
        assertNull(task.lease());
        assertEquals("{\"workerId\":\"w\",\"output\":null}", ReleaseBody.success("w", task, TaskResult.empty())
                .toString(), "no attempt fence to send");
    }
}
