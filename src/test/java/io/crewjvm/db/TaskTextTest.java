package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.PrivateSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code task_text} (V18), which the reads of tasks send as they are, writes task_json's document: the same JSON
 * for a task without parents and for one whose parents come in the order it named them, with text that JSON must
 * escape.
 */
class TaskTextTest {

    static final String SCHEMA = "task_text_check";
    static final String GROUP = "ffffffffffffffffffffffff";
    static final String A = "00000000000000000000000a";
    static final String B = "00000000000000000000000b";
    static final String C = "00000000000000000000000c";
    static PrivateSchema schema;

    @BeforeAll
    static void migratePrivateSchema() throws SQLException {
        schema = PrivateSchema.migrate(SCHEMA);
    }

    @AfterAll
    static void dropPrivateSchema() throws SQLException {
        schema.close();
    }

    @Test
    void task_text_is_the_document_of_task_json() throws Exception {
        schema.execute("INSERT INTO task_group (id, name) VALUES ('" + GROUP + "', 'g')");
        schema.execute("INSERT INTO task (id, group_id, name, channel, key, state, input) VALUES "
                + "('" + A + "', '" + GROUP + "', 'quote \" backslash \\ tab \t é', 'c', 'k\"1', 'ready', "
                + "'{\"list\": [1, \"two\"], \"s\": \"\\\\n\"}'),"
                + "('" + B + "', '" + GROUP + "', 'b', 'c', NULL, 'ready', NULL)");
        schema.execute("INSERT INTO task (id, group_id, name, channel, state, parents_left) VALUES "
                + "('" + C + "', '" + GROUP + "', 'c', 'c', 'waiting', 2)");
        // C names B first, then A.
        schema.execute("INSERT INTO task_edge (parent_id, child_id, ord) VALUES ('" + B + "', '" + C + "', 0), "
                + "('" + A + "', '" + C + "', 1)");

        Map<String, JsonNode[]> documents = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Statement st = schema.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT t.id, task_json(t)::text, d.document FROM task t "
                        + "CROSS JOIN LATERAL task_text(t) d ORDER BY t.id")) {
            while (rs.next()) {
                documents.put(rs.getString(1), new JsonNode[] {json.readTree(rs.getString(2)),
                        json.readTree(rs.getString(3))});
            }
        }

        assertEquals(3, documents.size());
        documents.forEach((id, pair) -> assertEquals(pair[0], pair[1], id));
        assertEquals(json.readTree("[\"" + B + "\", \"" + A + "\"]"), documents.get(C)[1].get("parentIds"));
        assertEquals(json.readTree("[]"), documents.get(A)[1].get("parentIds"));
        assertEquals("quote \" backslash \\ tab \t é", documents.get(A)[1].get("name").asText());
        assertEquals("\\n", documents.get(A)[1].get("input").get("s").asText());
    }
}
