package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crewjvm.support.PrivateSchema;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code task_text} (V18), which the reads of tasks send as they are, writes Crew's task document: every field, for
 * a task without parents and for one whose parents come in the order it named them, with text that JSON must
 * escape. {@code task_json}, kept for SQL users, is the same document.
 */
class TaskTextTest {

        static final String GROUP = "ffffffffffffffffffffffff";
    static final String A = "00000000000000000000000a";
    static final String B = "00000000000000000000000b";
    static final String C = "00000000000000000000000c";
    @RegisterExtension
    static final PrivateSchema schema = new PrivateSchema("task_text_check");

    @Test
    void task_text_writes_every_field_of_crews_document() throws Exception {
        schema.execute("INSERT INTO task_group (id, name) VALUES ('" + GROUP + "', 'g')");
        schema.execute("INSERT INTO task (id, group_id, name, channel, key, state, input) VALUES "
                + "('" + A + "', '" + GROUP + "', 'quote \" backslash \\ tab \t é', 'c', 'k\"1', 'ready', "
                + "'{\"list\":[1,\"two\"],\"s\":\"\\\\n\"}'),"
                + "('" + B + "', '" + GROUP + "', 'b', 'c', NULL, 'ready', NULL)");
        schema.execute("INSERT INTO task (id, group_id, name, channel, state, parents_left) VALUES "
                + "('" + C + "', '" + GROUP + "', 'c', 'c', 'waiting', 2)");
        // C names B first, then A.
        schema.execute("INSERT INTO task_edge (parent_id, child_id, ord) VALUES ('" + B + "', '" + C + "', 0), "
                + "('" + A + "', '" + C + "', 1)");

        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Statement st = schema.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT t.id, d.document, task_json(t)::text FROM task t"
                        + " CROSS JOIN LATERAL task_text(t) d ORDER BY t.id")) {
            while (rs.next()) {
                assertEquals(rs.getString(2), rs.getString(3), "task_json of " + rs.getString(1));
                documents.put(rs.getString(1), (ObjectNode) json.readTree(rs.getString(2)));
            }
        }

        assertEquals(3, documents.size());
        documents.forEach((id, document) -> assertTrue(document.remove("createdAt").asText()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), id));
        assertEquals(json.readTree(expected(A, "quote \\\" backslash \\\\ tab \\t é", "\"k\\\"1\"",
                "{\"list\":[1,\"two\"],\"s\":\"\\\\n\"}", true, "[]", "ready")), documents.get(A));
        assertEquals(json.readTree(expected(B, "b", "null", "null", true, "[]", "ready")), documents.get(B));
        assertEquals(json.readTree(expected(C, "c", "null", "null", false, "[\"" + B + "\",\"" + A + "\"]", "waiting")),
                documents.get(C));
    }

    /** Crew's document of a task that has never run, without its createdAt. */
    private static String expected(String id, String name, String key, String input, boolean parentsComplete,
            String parentIds, String state) {
        return "{\"_id\":\"" + id + "\",\"taskGroupId\":\"" + GROUP + "\",\"name\":\"" + name + "\","
                + "\"channel\":\"c\",\"workgroup\":null,\"key\":" + key + ",\"remainingAttempts\":5,"
                + "\"isPaused\":false,\"parentsComplete\":" + parentsComplete + ",\"isComplete\":false,"
                + "\"priority\":0,\"runAfter\":null,\"progressWeight\":1,\"isSeed\":false,"
                + "\"errorDelayInSeconds\":30,\"input\":" + input + ",\"errors\":[],\"output\":null,"
                + "\"parentIds\":" + parentIds + ",\"assignedTo\":null,\"assignedAt\":null,"
                + "\"executeMessageId\":null,\"examineMessageId\":null,\"state\":\"" + state + "\","
                + "\"attempt\":0,\"leaseSeconds\":null,\"leaseExpiresAt\":null,\"completedAt\":null,"
                + "\"rateUnits\":1,\"waitingFor\":" + (parentsComplete ? "[]"
                        : "[{\"reason\":\"parents\",\"parentsLeft\":2}]") + "}";
    }
}
