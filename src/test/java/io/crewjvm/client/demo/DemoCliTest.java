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
import java.time.Instant;
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
        Matcher page = Pattern.compile("Its page on the dashboard: "
                + Pattern.quote(new CrewClient(base).url() + "dashboard/#/groups/") + "([0-9a-f]{24})\n").matcher(text);
        assertTrue(page.find(), "the group's page is printed:\n" + text);
        String groupName = new CrewClient(base).get("api/v1/task_group/" + page.group(1)).path("name").asText();
        assertTrue(groupName.matches("Demo \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
                "a readable name: " + groupName);
        assertTrue(text.contains("Created the demo group \"" + groupName + "\" (" + page.group(1) + ")"), text);
        assertTrue(text.contains("] running: "), "a progress line while it runs:\n" + text);
        assertTrue(text.contains("] complete: 7/7 complete (100 %)"), text);
        assertTrue(Pattern.compile("\\] running: 3/7 complete \\(43 %\\), scheduled 1, waiting 3; "
                + "waiting: 4 children of \"Task C\" start in [1-3] s \\(childrenDelayInSeconds\\)\n")
                .matcher(text).find(),
                "while Task C's children wait, the line says for what and how long:\n" + text);
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
    void while_tasks_wait_for_a_runafter_an_error_delay_or_a_workgroups_pause_the_progress_line_says_so()
            throws Exception {
        String channel = unique("held");
        String workgroup = unique("ads");
        String group = createGroup(unique("held"));
        createTask(group, Map.of("name", "later", "channel", channel,
                "runAfter", Instant.now().plusSeconds(45).toString()));
        createTask(group, Map.of("name", "post \"ad\"", "channel", channel, "workgroup", workgroup));
        Api.post("/api/v1/workgroup/" + workgroup + "/pause", Map.of("seconds", 30, "reason", "rate limit")).then()
                .statusCode(200);
        String flakyChannel = unique("flaky");
        String flaky = createTask(group, Map.of("name", "flaky", "channel", flakyChannel, "errorDelayInSeconds", 20))
                .getString("_id");
        Api.acquire(flakyChannel, "w");
        release(flaky, Map.of("workerId", "w", "error", "HTTP 503")).then().statusCode(200);
        Console out = new Console();
        Console err = new Console();
        int exit = new GroupFollower(new CrewClient(base), out.stream, err.stream)
                .follow(group, Duration.ofSeconds(2));
        assertEquals(GroupFollower.TIMED_OUT, exit, err.text());
        String text = out.text();
        assertTrue(Pattern.compile("\\] running: 0/3 complete \\(0 %\\), scheduled 3; waiting: "
                + "workgroup \"" + workgroup + "\" paused for (29|30) s more: \"rate limit\" \\(1 task\\); "
                + "\"later\" starts in (44|45) s \\(runAfter\\); "
                + "\"flaky\" is retried in (19|20) s \\(errorDelayInSeconds\\)\n").matcher(text).find(), text);
        assertTrue(err.text().contains("Timed out after 2 s: the group is running: 0/3 complete"), err.text());
    }

    @Test
    void usage_errors_exit_2_and_help_exits_0() throws Exception {
        Console out = new Console();
        Console err = new Console();
        assertEquals(2, Cli.run(new String[] {"demo", "--timeout"}, out.stream, err.stream));
        assertTrue(err.text().contains("--timeout needs a value"), err.text());
        assertEquals(2, Cli.run(new String[] {"work", "--time-scale", "-1"}, out.stream, err.stream));
        assertEquals(2, Cli.run(new String[] {"work", "--crew-timings", "--time-scale", "1"}, out.stream, err.stream));
        assertTrue(err.text().contains("--crew-timings and --time-scale do not go together"), err.text());
        assertEquals(2, Cli.run(new String[] {"fly"}, out.stream, err.stream));
        assertEquals(0, Cli.run(new String[] {"work", "--help"}, out.stream, err.stream));
        assertTrue(out.text().contains("Usage: crew work") && out.text().contains("--crew-timings"), out.text());
        assertEquals(0, Cli.run(new String[] {"demo", "--help"}, out.stream, err.stream));
        assertTrue(out.text().contains("dashboard/#/groups/ID"), out.text());
        assertEquals("Timings: A 1 s per task, B 0.2 s, C 0.2 s, C's children start 6 s after it (time scale 0.1 of "
                + "Crew's; --crew-timings for Crew's own)", Cli.timings(DemoWorker.DEFAULT_TIME_SCALE));
        assertEquals("Timings: A 10 s per task, B 2 s, C 2 s, C's children start 60 s after it (Crew's own)",
                Cli.timings(DemoWorker.CREW_TIME_SCALE));
    }
}
