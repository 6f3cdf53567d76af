package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.PrivateSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules of V22 that decide where a task waits, evaluated on a real database, and the house rule that keeps
 * them the only place that decides it: no statement writes a waiting state itself.
 */
class TaskStateRulesTest {

    @RegisterExtension
    static final PrivateSchema schema = new PrivateSchema("state_rules");

    @BeforeAll
    static void setUpSchema() throws SQLException {
        schema.execute("INSERT INTO workgroup (name, paused_until, updated_at) VALUES "
                + "('paused', now() + interval '1 hour', now()), ('resumed', now() - interval '1 hour', now())");
    }

    @ParameterizedTest(name = "parents open {0}, parent failed {1}, runAfter {2}, workgroup {3}: {4}")
    @CsvSource(nullValues = "none", value = {
        "2, false, none,  none,    waiting,   false",
        "2, true,  none,  none,    blocked,   false",
        "1, false, +1,    paused,  waiting,   false",
        "0, false, none,  none,    ready,     false",
        "0, true,  none,  none,    ready,     false",
        "0, false, -1,    none,    ready,     false",
        "0, false, +1,    none,    scheduled, true",
        "0, false, none,  paused,  scheduled, true",
        "0, false, none,  resumed, ready,     false",
        "0, false, none,  unknown, ready,     false",
        "0, false, +2,    paused,  scheduled, true",
    })
    void a_task_waits_for_its_parents_then_its_time_and_its_workgroup(
            int parentsOpen, boolean parentFailed, Integer runAfterHours, String workgroup, String state,
            boolean held) throws SQLException {
        String runAfter = runAfterHours == null ? "NULL" : "now() + interval '" + runAfterHours + " hours'";
        String sql = "SELECT w.state::text, w.available_at, "
                + "w.available_at = greatest(" + runAfter + ", (SELECT paused_until FROM workgroup WHERE name = "
                + literal(workgroup) + ")) FROM task_waits(" + parentsOpen + ", " + parentFailed + ", " + runAfter
                + ", " + literal(workgroup) + ") w";
        try (Statement statement = schema.connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            assertEquals(state, rs.getString(1));
            assertEquals(held, rs.getObject(2) != null, "available_at is set exactly when the task is held");
            if (held) {
                assertEquals(true, rs.getBoolean(3), "held until the later of runAfter and the workgroup's pause");
            }
        }
    }

    @ParameterizedTest(name = "attempts left {0}, parents open {1}: {2}")
    @CsvSource({"0, 0, failed", "-1, 0, failed", "0, 1, failed", "1, 0, ready", "2, 1, waiting"})
    void an_attempt_that_ends_without_success_fails_the_task_only_when_none_is_left(
            int attemptsLeft, int parentsOpen, String state) throws SQLException {
        assertEquals(state, schema.text("SELECT state::text FROM task_attempt_ends(" + attemptsLeft + ", " + parentsOpen
                + ", NULL, NULL)"));
    }

    @ParameterizedTest(name = "{0} with parents open {1}: {2}")
    @CsvSource({
        "waiting, 0, ready", "blocked, 0, ready", "ready, 1, waiting", "scheduled, 0, ready",
        "running, 0, running", "complete, 1, complete", "failed, 0, failed"})
    void only_a_task_in_a_waiting_state_settles_anew(String current, int parentsOpen, String state)
            throws SQLException {
        assertEquals(state, schema.text("SELECT state::text FROM task_settles('" + current + "', NULL, " + parentsOpen
                + ", false, NULL, NULL)"));
    }

    /**
     * A statement that set a waiting state (waiting, blocked, scheduled, ready) by itself would be one more place to
     * change for a new state or hold: they take it from the rules. Leaving a waiting state (the lease) and the
     * finishes are acts, written where they happen.
     */
    @Test
    void no_statement_writes_a_waiting_state_itself() throws IOException {
        Pattern assignment = Pattern.compile(
                "(?i)(SET|,)\\s*state\\s*=\\s*(CASE|'(waiting|blocked|scheduled|ready)')");
        Path statements = Path.of("src/main/resources/sql");
        try (Stream<Path> files = Files.walk(statements)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".sql"))
                    .filter(f -> assignment.matcher(withoutComments(f)).find())
                    .map(f -> statements.relativize(f).toString()).sorted().toList();
            assertEquals(List.of(), offenders);
        }
    }

    private static String withoutComments(Path file) {
        try {
            return Files.readString(file).replaceAll("--[^\n]*", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }
}
