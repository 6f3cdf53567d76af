package io.crewjvm.api;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * A bug answers 500 with a reference and none of its text, over real HTTP; the service's log line has the same
 * reference and the exception. The bugs are real: a constraint the service does not know about refuses its
 * statement in the database, and a route below JAX-RS fails (FailingRoute, test only).
 */
@QuarkusTest
class InternalErrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Sql sql;

    /** A log line as written: its formatted message, and the stack trace of its exception. */
    private record Line(String message, String thrown) {
    }

    @Test
    void a_statement_of_the_service_refused_by_the_database_answers_a_reference_and_logs_it() throws Exception {
        String group = createGroup(unique("g"));
        String task = createTask(group, "before", unique("c"));
        String refused = unique("refused");
        String constraint = "test_refused_" + refused.substring(refused.indexOf('_') + 1);
        sql.execute("ALTER TABLE task ADD CONSTRAINT " + constraint + " CHECK (name IS DISTINCT FROM '" + refused
                + "') NOT VALID");
        List<Line> logged = new ArrayList<>();
        Response answer;
        try {
            answer = capturing(logged, () -> put("/api/v1/task/" + task, Map.of("name", refused)));
        } finally {
            sql.execute("ALTER TABLE task DROP CONSTRAINT " + constraint);
        }
        String errorId = assertReference(answer, List.of(constraint, refused, "task/TaskUpdate", "violates", "ERROR:",
                "Exception", "SQL"));
        Line line = assertLogged(logged, errorId);
        assertTrue(line.thrown().contains(constraint), "the log line carries the database's error: " + line);
        assertEquals("before", sql.text("SELECT name FROM task WHERE id = ?", task), "nothing changed");
    }

    @Test
    void an_update_through_the_entity_layer_refused_by_the_database_answers_a_reference() throws Exception {
        String group = createGroup("before");
        String refused = unique("refused");
        String constraint = "test_refused_" + refused.substring(refused.indexOf('_') + 1);
        sql.execute("ALTER TABLE task_group ADD CONSTRAINT " + constraint + " CHECK (name IS DISTINCT FROM '"
                + refused + "') NOT VALID");
        List<Line> logged = new ArrayList<>();
        Response answer;
        try {
            answer = capturing(logged, () -> put("/api/v1/task_group/" + group, Map.of("name", refused)));
        } finally {
            sql.execute("ALTER TABLE task_group DROP CONSTRAINT " + constraint);
        }
        String errorId = assertReference(answer, List.of(constraint, refused, "task_group", "violates", "update",
                "Exception"));
        assertTrue(assertLogged(logged, errorId).thrown().contains(constraint));
        assertEquals("before", sql.text("SELECT name FROM task_group WHERE id = ?", group));
    }

    @Test
    void a_route_below_jax_rs_that_fails_answers_a_reference_and_logs_it() throws Exception {
        List<Line> logged = new ArrayList<>();
        Response answer = capturing(logged, () -> get(FailingRoute.PATH));
        String errorId = assertReference(answer, List.of("route secret", "password", "IllegalStateException",
                "FailingRoute", "at io.", "stack"));
        assertTrue(assertLogged(logged, errorId).thrown().contains(FailingRoute.SECRET));
    }

    @Test
    void two_failures_have_two_references() throws Exception {
        List<Line> logged = new ArrayList<>();
        String first = assertReference(capturing(logged, () -> get(FailingRoute.PATH)), List.of());
        String second = assertReference(capturing(logged, () -> get(FailingRoute.PATH)), List.of());
        assertFalse(first.equals(second));
        assertLogged(logged, first);
        assertLogged(logged, second);
    }

    /** The answer is a 500 in Crew's shape with a reference, and none of the given words; the reference. */
    private static String assertReference(Response answer, List<String> hidden) throws Exception {
        assertEquals(500, answer.statusCode());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        String body = answer.asString();
        JsonNode json = JSON.readTree(body);
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("message", "errorId"), fields, body);
        String errorId = json.get("errorId").asText();
        assertTrue(errorId.matches("[0-9a-f]{16}"), body);
        assertEquals("Internal error; reference " + errorId, json.get("message").asText());
        for (String word : hidden) {
            assertFalse(body.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT)),
                    "the answer tells '" + word + "': " + body);
        }
        return errorId;
    }

    /** The one log line that names the reference, with an exception. */
    private static Line assertLogged(List<Line> logged, String errorId) {
        List<Line> naming;
        synchronized (logged) {
            naming = logged.stream().filter(l -> l.message().contains(errorId)).toList();
        }
        assertEquals(1, naming.size(), "log lines naming " + errorId + ": " + naming);
        assertFalse(naming.get(0).thrown().isEmpty(), "the exception is logged with the reference");
        return naming.get(0);
    }

    /** Runs a request while every log record of the service is captured into {@code lines}. */
    private static Response capturing(List<Line> lines, Supplier<Response> request) {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                        : String.valueOf(record.getMessage());
                String thrown = "";
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    thrown = trace.toString();
                }
                synchronized (lines) {
                    lines.add(new Line(message, thrown));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            return request.get();
        } finally {
            root.removeHandler(capture);
        }
    }
}
