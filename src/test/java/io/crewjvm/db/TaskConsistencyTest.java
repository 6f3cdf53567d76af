package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.PrivateSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database refuses a task row that breaks the lifecycle, whatever writes it: the CHECK constraint
 * {@code task_consistent} (V16) holds every rule that separate constraints held before. Each case starts from a
 * valid ready task and writes one rule's violation; the row must be refused (SQLSTATE 23514) and stay unchanged.
 */
class TaskConsistencyTest {

        static final String ID = "00000000000000000000000a";
    @RegisterExtension
    static final PrivateSchema schema = new PrivateSchema("consistency_check");

    @BeforeEach
    void oneReadyTask() throws SQLException {
        schema.execute("TRUNCATE task_group CASCADE");
        schema.execute("INSERT INTO task_group (id, name) VALUES ('ffffffffffffffffffffffff', 'g')");
        schema.execute("INSERT INTO task (id, group_id, channel, state) VALUES ('" + ID + "', 'ffffffffffffffffffffffff', 'c', 'ready')");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "id = 'not-an-object-id-000000'",
        "id = '00000000000000000000000A'",
        "id = '0000000000000000000000a'",
        "remaining_attempts = -1",
        "parents_left = -1, state = 'waiting'",
        "attempt = -1",
        "error_delay_seconds = -1",
        "lease_seconds = 0",
        "progress_weight = -0.5",
        "errors = '{}'",
        "remaining_attempts = 0",
        "state = 'failed'",
        "state = 'failed', remaining_attempts = 0, completed_at = now()",
        "state = 'running'",
        "state = 'running', assigned_to = 'w', assigned_at = now()",
        "assigned_to = 'w', assigned_at = now(), lease_expires_at = now()",
        "state = 'complete'",
        "completed_at = now()",
        "state = 'scheduled'",
        "available_at = now()",
        "state = 'waiting'",
        "parents_left = 1",
        "state = 'blocked'"
    })
    void a_row_that_breaks_a_rule_is_refused_and_nothing_changes(String assignment) throws SQLException {
        SQLException refused = assertThrows(SQLException.class,
                () -> schema.execute("UPDATE task SET " + assignment + " WHERE id = '" + ID + "'"));
        assertEquals("23514", refused.getSQLState(), refused.getMessage());
        assertTrue(refused.getMessage().contains("task_consistent"), refused.getMessage());
        assertEquals("ready 5 0 null", row());
    }

    @Test
    void the_lifecycle_passes() throws SQLException {
        schema.execute("UPDATE task SET state = 'running', attempt = 1, assigned_to = 'w', assigned_at = now(),"
                + " lease_expires_at = now() + interval '1 minute' WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'scheduled', remaining_attempts = 4, assigned_to = NULL, assigned_at = NULL,"
                + " lease_expires_at = NULL, available_at = now(), errors = '[{\"m\":1}]' WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'ready', available_at = NULL WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'failed', remaining_attempts = 0 WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'waiting', remaining_attempts = 1, parents_left = 2 WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'blocked' WHERE id = '" + ID + "'");
        schema.execute("UPDATE task SET state = 'complete', parents_left = 0, remaining_attempts = 0, completed_at = now(),"
                + " output = '{\"ok\":true}' WHERE id = '" + ID + "'");
        assertEquals("complete 0 0 complete", row());
    }

    private static String row() throws SQLException {
        try (Statement st = schema.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT state, remaining_attempts, parents_left,"
                        + " coalesce(CASE WHEN completed_at IS NOT NULL THEN 'complete' END, 'null') FROM task")) {
            rs.next();
            return rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3) + " " + rs.getString(4);
        }
    }
}
