package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseBodyTest {

    private static final LeasedTask TASK = LeasedTask.of(Json.tree(Map.of("task",
            Map.of("_id", "6372a3c2f1e2d3c4b5a69788", "name", "t", "channel", "c", "attempt", 3), "parents", List.of())));

    @Test
    void a_success_carries_the_attempt_output_children_and_delays() {
        ObjectNode body = ReleaseBody.success("w", TASK, TaskResult.of(Map.of("n", 1))
                .withChildren(Child.of("a", "c").childId(1), Child.of("b", "c").childId(2).parentChildIds(1)
                        .runAfter(Instant.parse("2030-01-01T00:00:00Z")))
                .withChildrenDelay(60).withWorkgroupDelay(5));
        assertEquals("w", body.get("workerId").asText());
        assertEquals(3, body.get("attempt").asInt(), "the fence: this release ends attempt 3 and no other");
        assertEquals(1, body.get("output").get("n").asInt());
        assertEquals("[{\"name\":\"a\",\"channel\":\"c\",\"_child_id\":1},{\"name\":\"b\",\"channel\":\"c\","
                + "\"_child_id\":2,\"_parent_ids\":[1],\"runAfter\":\"2030-01-01T00:00:00Z\"}]",
                body.get("children").toString());
        assertEquals(60, body.get("childrenDelayInSeconds").asInt());
        assertEquals(5, body.get("workgroupDelayInSeconds").asInt());
        assertFalse(ReleaseBody.isFailure(body));
    }

    @Test
    void a_plain_success_sends_no_children_and_no_delays() {
        ObjectNode body = ReleaseBody.success("w", TASK, TaskResult.empty());
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"output\":null}", body.toString());
    }

    @Test
    void a_task_error_sends_its_structured_output_and_its_workgroup_delay() {
        ObjectNode body = ReleaseBody.failure("w", TASK,
                new TaskError("rate limited", Map.of("code", 429)).withWorkgroupDelay(30));
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"error\":{\"code\":429},\"workgroupDelayInSeconds\":30}",
                body.toString());
        assertTrue(ReleaseBody.isFailure(body));
    }

    @Test
    void a_permanent_error_says_it_is_not_retryable_and_keeps_it_under_a_workgroup_delay() {
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"error\":\"invalid campaign\",\"retryable\":false}",
                ReleaseBody.failure("w", TASK, TaskError.permanent("invalid campaign")).toString());
        ObjectNode delayed = ReleaseBody.failure("w", TASK,
                TaskError.permanent("no", Map.of("code", 400)).withWorkgroupDelay(5));
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"error\":{\"code\":400},\"workgroupDelayInSeconds\":5,"
                + "\"retryable\":false}", delayed.toString());
        assertTrue(new TaskError("transient").isRetryable());
    }

    @Test
    void an_error_the_service_would_read_as_success_is_sent_as_the_message() {
        assertEquals("boom", ReleaseBody.failure("w", TASK, new TaskError("boom", false)).get("error").asText());
        assertEquals("boom", ReleaseBody.failure("w", TASK, new TaskError("boom", null)).get("error").asText());
        assertEquals("java.lang.IllegalStateException",
                ReleaseBody.failure("w", TASK, new IllegalStateException()).get("error").asText());
    }

    @Test
    void a_refused_release_is_replaced_once_by_a_plain_failure() {
        ObjectNode refused = ReleaseBody.success("w", TASK, TaskResult.of("out\u0000"));
        ObjectNode instead = ReleaseBody.instead(refused, "output: NUL \u0000 not allowed");
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"error\":\"The service refused the worker's release: "
                + "output: NUL ? not allowed\"}", instead.toString());
        assertNull(ReleaseBody.instead(instead, "again"), "a plain failure that is refused is not sent again");
    }

    @Test
    void a_reported_budget_goes_with_a_success_and_with_a_failure() {
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"output\":1,\"workgroupBudget\":{\"remaining\":12.0,"
                + "\"resetInSeconds\":60}}",
                ReleaseBody.success("w", TASK, TaskResult.of(1).withWorkgroupBudget(12, 60)).toString());
        TaskError limited = new TaskError("429").withWorkgroupBudget(0, 5).withWorkgroupDelay(0);
        assertEquals("{\"workerId\":\"w\",\"attempt\":3,\"error\":\"429\",\"workgroupBudget\":{\"remaining\":0.0,"
                + "\"resetInSeconds\":5}}", ReleaseBody.failure("w", TASK, limited).toString());
        assertThrows(IllegalArgumentException.class, () -> TaskResult.empty().withWorkgroupBudget(-1, 5));
    }
}
