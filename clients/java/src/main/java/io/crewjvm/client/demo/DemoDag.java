package io.crewjvm.client.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.client.CrewClient;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The demo's task group: Task A ({@code worker_a}) and Task B ({@code worker_b}) side by side, Task C
 * ({@code worker_c}) after both, whose answer adds Worker C's four children: seven tasks in all once it ran.
 */
public final class DemoDag {

    /** Tasks in the group once Task C has run. */
    public static final int TASKS = 7;

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private DemoDag() {
    }

    /** Creates the group, named for the local time (see {@link #name}), and its three tasks; the group's id. */
    public static String create(CrewClient client) throws IOException, InterruptedException {
        return create(client, name(LocalDateTime.now()));
    }

    /** Creates the group and its three tasks (in one transaction); the group's id. */
    public static String create(CrewClient client, String name) throws IOException, InterruptedException {
        JsonNode group = client.post("api/v1/task_groups", Map.of("name", name));
        String id = group.path("_id").asText();
        client.post("api/v1/task_group/" + id + "/tasks/bulk", Map.of("tasks", List.of(
                Map.of("_child_id", 1, "name", "Task A", "channel", "worker_a", "input", Map.of("task", "A")),
                Map.of("_child_id", 2, "name", "Task B", "channel", "worker_b", "input", Map.of("task", "B")),
                Map.of("_child_id", 3, "_parent_ids", List.of(1, 2), "name", "Task C", "channel", "worker_c",
                        "input", Map.of("task", "C")))));
        return id;
    }

    /** The group's name for a local time, to the second: {@code Demo 2026-12-06 20:18:04}. */
    public static String name(LocalDateTime localTime) {
        return "Demo " + NAME_TIME.format(localTime);
    }

    /** The group's own page on the service's dashboard ({@code dashboard/#/groups/ID}). */
    public static URI dashboardPage(URI service, String groupId) {
        String base = service.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "dashboard/#/groups/" + groupId);
    }
}
