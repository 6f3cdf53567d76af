package io.crewjvm.maintenance;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared steps of the lease and maintenance tests. */
final class Leases {

    private Leases() {
    }

    /** Polls until the condition holds; fails after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Creates a group with {@code n} tasks of the channel, each with the given extra fields; returns the group. */
    static String createTasks(Http http, String channel, int n, Map<String, Object> fields) {
        String group = createGroup(unique("lease"));
        for (int from = 0; from < n; from += 1000) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                Map<String, Object> task = new HashMap<>(fields);
                task.put("name", "t" + i);
                task.put("channel", channel);
                tasks.add(task);
            }
            assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).status());
        }
        return group;
    }
}
