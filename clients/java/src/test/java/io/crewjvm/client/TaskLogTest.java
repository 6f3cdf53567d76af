package io.crewjvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskLogTest {

    @Test
    void names_are_quoted_as_json_strings() {
        assertEquals("\"Task A\"", TaskLog.quoted("Task A"));
        assertEquals("\"Child ' \\\" D Quotes\"", TaskLog.quoted("Child ' \" D Quotes"));
        assertEquals("\"two\\nlines \\\\ and été\"", TaskLog.quoted("two\nlines \\ and été"));
        assertEquals("null", TaskLog.quoted(null));
    }

    @Test
    void a_name_with_quotes_reads_unambiguously_in_the_taken_and_released_lines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TaskLog log = TaskLog.toConsole(out, out);
        LeasedTask task = new LeasedTask("t1", "Child ' \" D Quotes", "worker_a", 1, Json.tree(Map.of()), List.of(),
                null, Json.tree(Map.of()));
        log.taken("Worker-A", task);
        log.released("Worker-A", task, new Released(Released.Kind.COMPLETED, null), Duration.ofMillis(1500));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Worker-A took     \"Child ' \\\" D Quotes\" t1 attempt 1\n"), text);
        assertTrue(text.contains("Worker-A completed \"Child ' \\\" D Quotes\" t1 attempt 1 after 1.5 s"), text);
    }
}
