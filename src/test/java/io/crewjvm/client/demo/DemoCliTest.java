package io.crewjvm.client.demo;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.client.CrewClient;
import io.crewjvm.client.TaskLog;
import io.crewjvm.client.WorkerGroup;
import io.crewjvm.client.WorkerOptions;
import io.crewjvm.support.Api;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code crew demo --wait} with the JVM demo workers, and what it says when a group fails. */
@QuarkusTest
class DemoCliTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    private static final class Console {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void crew_demo_wait_follows_the_demo_dag_run_by_the_demo_workers_to_completion_and_exits_0() throws Exception {
        Console out = new Console();
        Console err = new Console();
        WorkerOptions options = WorkerOptions.defaults().withUrl(base).withWaitSeconds(2)
                .withListener(TaskLog.toConsole(out.stream, err.stream));
        int exit;
        try (WorkerGroup workers = new WorkerGroup(options)) {
            workers.add(new WorkerA(0.05)).add(new WorkerB(0.05)).add(new WorkerC(0.05)).start();
            exit = Cli.run(new String[] {"demo", "--url", base.toString(), "--wait", "--timeout", "90"}, out.stream,
                    err.stream);
        }
        assertEquals(0, exit, out.text() + err.text());
        String text = out.text();
        assertTrue(text.contains("Created the demo group \"Demo "), text);
        Matcher page = Pattern.compile("Its page on the dashboard: " + Pattern.quote(new CrewClient(base).url() + "dashboard/#/groups/")
                + "([0-9a-f]{24})\n").matcher(text);
        assertTrue(page.find(), "the group's page is printed:\n" + text);
        String name = new CrewClient(base).get("api/v1/task_group/" + page.group(1)).path("name").asText();
        assertTrue(name.matches("Demo \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), "a readable name: " + name);
        assertTrue(text.contains("Created the demo group \"" + name + "\" (" + page.group(1) + ")"), text);
        assertTrue(text.contains("] running: "), "a progress line while it runs:\n" + text);
        assertTrue(text.contains("] complete: 7/7 complete (100 %)"), text);
        for (String name : List.of("Task A", "Task B", "Task C", "Child A", "Child C", "Child ' \" D Quotes")) {
            assertTrue(text.contains("took     " + TaskLog.quoted(name) + " "), name + " taken:\n" + text);
            assertTrue(text.contains("completed " + TaskLog.quoted(name) + " "), name + " released:\n" + text);
        }
        assertTrue(text.contains("completed \"Task C\"") && text.contains("4 children"), text);
        assertTrue(text.contains("took     \"Child ' \\\" D Quotes\" "), "the quote in the name is escaped:\n" + text);
        Invariants.assertAll(sql);
    }

    @Test
    void following_a_group_that_failed_exits_1_naming_the_failed_task_its_error_and_what_it_blocks()
            throws Exception {
        String channel = unique("doomed");
        String group = createGroup(unique("doomed"));
        String doomed = createTask(group, Map.of("name", "doomed", "channel", channel, "remainingAttempts", 1))
                .getString("_id");
        createTask(group, Map.of("name", "after", "channel", channel, "parentIds", List.of(doomed)));
        Api.acquire(channel, "w");
        release(doomed, Map.of("workerId", "w", "error", "no luck today")).then().statusCode(200);
        Console out = new Console();
        Console err = new Console();
        int exit = new GroupFollower(new CrewClient(base), out.stream, err.stream).follow(group, Duration.ofSeconds(30));
        assertEquals(GroupFollower.FAILED, exit);
        assertTrue(out.text().contains("failed: 0/2 complete"), out.text());
        assertTrue(err.text().contains("failed: \"doomed\" (" + channel + "): no luck today"), err.text());
        assertTrue(err.text().contains("blocked by a failed ancestor: \"after\""), err.text());
    }

    @Test
    void usage_errors_exit_2_and_help_exits_0() throws Exception {
        Console out = new Console();
        Console err = new Console();
        assertEquals(2, Cli.run(new String[] {"demo", "--timeout"}, out.stream, err.stream));
        assertTrue(err.text().contains("--timeout needs a value"), err.text());
        assertEquals(2, Cli.run(new String[] {"work", "--time-scale", "-1"}, out.stream, err.stream));
        assertEquals(2, Cli.run(new String[] {"fly"}, out.stream, err.stream));
        assertEquals(0, Cli.run(new String[] {"work", "--help"}, out.stream, err.stream));
        assertTrue(out.text().contains("Usage: crew work"), out.text());
    }
}
