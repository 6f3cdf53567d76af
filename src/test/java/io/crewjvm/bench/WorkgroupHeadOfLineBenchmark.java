package io.crewjvm.bench;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acquire latency in a channel whose head is 10,000 higher-priority tasks held by their workgroup (paused, at its
 * concurrency cap, or out of budget), against a channel without them. Not part of the default run:
 * {@code ./mvnw test -Dtest=WorkgroupHeadOfLineBenchmark}. Prints one JSON line per hold; see docs/benchmarks.md.
 */
@QuarkusTest
class WorkgroupHeadOfLineBenchmark {

    private static final int HELD = 10_000;
    private static final int MEASURED = 1_000;

    @TestHTTPResource("/")
    URI base;

    @Test
    void acquiring_behind_held_workgroups_costs_the_same_as_in_a_channel_without_them() {
        Http http = new Http(base);
        String group = createGroup(unique("bench"));
        String plain = unique("plain");
        createWork(http, group, plain);
        measure(http, plain, 100);
        for (String hold : List.of("paused", "capped", "budget")) {
            String crowded = unique(hold);
            String workgroup = unique(hold + "-wg");
            if (hold.equals("paused")) {
                assertEquals(200, http.post("api/v1/workgroup/" + workgroup + "/pause", Map.of("seconds", 3600))
                        .status());
            } else {
                Map<String, Object> limits = hold.equals("capped") ? Map.of("maxRunning", 1)
                        : Map.of("rate", Map.of("limit", 1, "periodSeconds", 3600));
                assertEquals(200, http.put("api/v1/workgroup/" + workgroup, limits).status());
            }
            for (int from = 0; from < HELD; from += 5_000) {
                List<Map<String, Object>> held = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    held.add(Map.of("name", "held", "channel", crowded, "workgroup", workgroup, "priority", 10));
                }
                assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", held))
                        .status());
            }
            if (!hold.equals("paused")) {
                // The cap's one slot, or the budget's one unit, goes to the first held task, and stays taken.
                assertEquals(200, http.post("api/v1/channel/" + crowded + "/acquire", Map.of("workerId", "holder"))
                        .status());
            }
            createWork(http, group, crowded);
            measure(http, crowded, 100);
            double[] alone = measure(http, plain, MEASURED);
            double[] behind = measure(http, crowded, MEASURED);
            createWork(http, group, plain);
            System.out.printf("{\"hold\": \"%s\", \"heldTasksAhead\": %d, \"acquires\": %d, \"plainChannel\": "
                            + "{\"p50Ms\": %.3f, \"p99Ms\": %.3f}, \"behindHeldTasks\": {\"p50Ms\": %.3f, "
                            + "\"p99Ms\": %.3f}, \"p50Ratio\": %.2f}%n", hold, HELD, MEASURED, alone[0], alone[1],
                    behind[0], behind[1], behind[0] / alone[0]);
            assertTrue(behind[0] < alone[0] * 2, hold + " tasks ahead slowed acquiring down");
        }
    }

    private static void createWork(Http http, String group, String channel) {
        List<Map<String, Object>> work = new ArrayList<>();
        for (int i = 0; i < MEASURED + 100; i++) {
            work.add(Map.of("name", "work", "channel", channel));
        }
        assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", work)).status());
    }

    /** Acquire latencies (p50, p99 in ms) of {@code n} sequential acquires, each followed by its release. */
    private static double[] measure(Http http, String channel, int n) {
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            Http.Reply reply = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "bench"));
            millis[i] = (System.nanoTime() - start) / 1e6;
            String id = reply.json().get("task").get("_id").asText();
            http.post("api/v1/task/" + id + "/release", Map.of("workerId", "bench", "output", i));
        }
        Arrays.sort(millis);
        return new double[] {millis[n / 2], millis[(int) (n * 0.99)]};
    }
}
