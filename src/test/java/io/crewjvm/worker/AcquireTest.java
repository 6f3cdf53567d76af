package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.crewjvm.db.Transactions;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which task an acquire hands out, and what it records. */
@QuarkusTest
class AcquireTest {

    @Inject
    Sql sql;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LeaseRepository worker;


    @Test
    void acquire_takes_the_highest_priority_then_the_oldest() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        createTask(group, "a", channel, Map.of("priority", 0));
        createTask(group, "b", channel, Map.of("priority", 5));
        createTask(group, "c", channel, Map.of("priority", 5));
        createTask(group, "d", channel, Map.of("priority", -1));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(acquire(channel, "w").getString("task.name"));
        }
        assertEquals(List.of("b", "c", "a", "d"), order);
        assertNull(acquire(channel, "w").get("task"));
        Invariants.assertAll(sql);
    }

    @Test
    void one_statement_serves_several_acquires_in_order_each_with_its_own_worker_lease_and_ledger_row() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        for (int i = 0; i < 6; i++) {
            createTask(group, "p" + i, channel, Map.of("priority", 10 - i));
        }
        createTask(group, "twin1", channel, Map.of("priority", -1, "key", "k"));
        createTask(group, "twin2", channel, Map.of("priority", -1, "key", "k"));
        List<List<LeaseRepository.Lease>> leased = Transactions.autocommitRetrying(() -> worker.lease(List.of(
                new LeaseRepository.Acquisition(channel, "w1", 2, null),
                new LeaseRepository.Acquisition(channel, "w2", 3, 77),
                new LeaseRepository.Acquisition(channel, "w3", 5, null)), 300, false, workgroup -> { }));
        assertEquals(List.of("w1", "w2", "w3"), leased.stream().map(l -> l.get(0).workerId()).toList());
        Map<String, String> documents = worker.documents(leased.stream().flatMap(List::stream).toList());
        List<List<String>> names = leased.stream().map(leases -> leases.stream()
                .map(l -> JsonPath.from(documents.get(l.id())).getString("task.name")).toList()).toList();
        assertEquals(List.of(List.of("p0", "p1"), List.of("p2", "p3", "p4"), List.of("p5", "twin1")), names,
                "by priority, the first request first; one twin of a duplicate key");
        assertEquals(2, sql.count("SELECT count(*) FROM task WHERE channel = ? AND assigned_to = 'w1' "
                + "AND lease_expires_at = assigned_at + interval '300 seconds'", channel));
        assertEquals(3, sql.count("SELECT count(*) FROM task WHERE channel = ? AND assigned_to = 'w2' "
                + "AND lease_expires_at = assigned_at + interval '77 seconds'", channel));
        assertEquals(7, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.channel = ? AND a.worker_id = t.assigned_to AND a.attempt = 1", channel));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'ready'", channel));
        Invariants.assertAll(sql);
    }

    @Test
    void the_documents_that_the_lease_statement_builds_are_those_read_after_it() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String parentChannel = unique("p");
        String first = createTask(group, "first", parentChannel, Map.of("input", Map.of("n", 1)));
        String second = createTask(group, "second", parentChannel, Map.of());
        createTask(group, "child", channel, Map.of("priority", 1, "input", List.of("x", 2), "parentIds",
                List.of(second, first)));
        createTask(group, "orphan", channel, Map.of());
        complete(acquire(parentChannel, "pw").getString("task._id"), "pw", Map.of("out", "a\"b"));
        complete(acquire(parentChannel, "pw").getString("task._id"), "pw", List.of(1, 2));
        List<LeaseRepository.Lease> leases = Transactions.autocommitRetrying(() -> worker.lease(List.of(
                new LeaseRepository.Acquisition(channel, "w", 2, 60)), 300, true, workgroup -> { })).get(0);
        Map<String, String> readAfter = worker.documents(leases);
        assertEquals(2, leases.size());
        for (LeaseRepository.Lease lease : leases) {
            assertEquals(JsonPath.from(readAfter.get(lease.id())).getMap(""),
                    JsonPath.from(lease.document()).getMap(""));
        }
        JsonPath child = JsonPath.from(leases.get(0).document());
        assertEquals("child", child.getString("task.name"));
        assertEquals("running", child.getString("task.state"));
        assertEquals("w", child.getString("task.assignedTo"));
        assertEquals(List.of(second, first), child.getList("task.parentIds"));
        assertEquals(List.of(second, first), child.getList("parents._id"));
        assertEquals(List.of(List.of(1, 2), Map.of("out", "a\"b")), child.getList("parents.output"));
        assertEquals(List.of(), JsonPath.from(leases.get(1).document()).getList("parents"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_lease_that_no_longer_holds_when_documents_are_read_gets_no_document() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String kept = createTask(group, "kept", channel, Map.of("priority", 2));
        String reset = createTask(group, "reset", channel, Map.of("priority", 1));
        List<LeaseRepository.Lease> leases = Transactions.autocommitRetrying(() -> worker.lease(List.of(
                new LeaseRepository.Acquisition(channel, "w", 2, null)), 300, false, workgroup -> { })).get(0);
        assertEquals(List.of(kept, reset), leases.stream().map(LeaseRepository.Lease::id).toList());
        post("/api/v1/task/" + reset + "/reset", Map.of()).then().statusCode(200);
        Map<String, String> documents = worker.documents(leases);
        assertEquals(Set.of(kept), documents.keySet());
        assertEquals("running", JsonPath.from(documents.get(kept)).getString("task.state"));
        assertEquals(1, JsonPath.from(documents.get(kept)).getInt("task.attempt"));
        Invariants.assertAll(sql);
    }

    @Test
    void acquire_never_hands_out_a_failed_complete_leased_delayed_waiting_blocked_or_paused_task() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        // Each ineligible task has a higher priority than the one eligible task created last.
        String failed = createTask(group, "failed", channel, Map.of("priority", 10, "remainingAttempts", 1,
                "errorDelayInSeconds", 0));
        assertEquals(failed, acquire(channel, "w").getString("task._id"));
        release(failed, Map.of("workerId", "w", "error", "no")).then().statusCode(200);
        assertEquals("failed", task(failed).getString("state"));

        String complete = createTask(group, "complete", channel, Map.of("priority", 9));
        assertEquals(complete, acquire(channel, "w").getString("task._id"));
        complete(complete, "w", "done");

        String leased = createTask(group, "leased", channel, Map.of("priority", 8));
        assertEquals(leased, acquire(channel, "w").getString("task._id"));

        createTask(group, "delayed", channel, Map.of("priority", 7, "runAfter", Instant.now().plusSeconds(3600)
                .toString()));
        createTask(group, "waiting", channel, Map.of("priority", 6, "parentIds", List.of(leased)));
        createTask(group, "blocked", channel, Map.of("priority", 5, "parentIds", List.of(failed)));
        createTask(createGroup(unique("paused"), true), "paused", channel, Map.of("priority", 4));
        String eligible = createTask(group, "eligible", channel, Map.of("priority", -1));

        JsonPath acquired = acquire(channel, "w");
        assertEquals(eligible, acquired.getString("task._id"));
        assertNull(acquire(channel, "w").get("task"), "nothing else in the channel may be acquired");
        assertEquals(Map.of("scheduled", 1L, "waiting", 1L, "blocked", 1L, "ready", 1L, "running", 2L,
                        "failed", 1L, "complete", 1L),
                states(channel));
        Invariants.assertAll(sql);
    }

    private Map<String, Long> states(String channel) {
        Map<String, Long> states = new HashMap<>();
        for (String state : List.of("waiting", "scheduled", "ready", "running", "complete", "failed", "blocked")) {
            long n = sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = ?::task_state", channel, state);
            if (n > 0) {
                states.put(state, n);
            }
        }
        return states;
    }

    @Test
    void a_run_after_in_the_past_is_acquirable_at_once() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = createTask(group, "past", channel, Map.of("runAfter", Instant.now().minusSeconds(5).toString()));
        assertEquals(id, acquire(channel, "w").getString("task._id"));
    }

    @Test
    void acquire_opens_an_attempt_and_sets_a_lease_expiry_and_the_release_writes_its_ledger_row() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String id = createTask(group, "leased", channel, Map.of("leaseSeconds", 120));
        JsonPath acquired = acquire(channel, "worker-7");
        assertEquals(id, acquired.getString("task._id"));
        assertEquals(1, acquired.getInt("task.attempt"));
        assertEquals("running", acquired.getString("task.state"));
        Instant assignedAt = Instant.parse(acquired.getString("task.assignedAt"));
        Instant expires = Instant.parse(acquired.getString("task.leaseExpiresAt"));
        assertEquals(Duration.ofSeconds(120), Duration.between(assignedAt, expires));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ? AND attempt = 1 "
                + "AND worker_id = 'worker-7' AND finished_at IS NULL AND outcome IS NULL", id));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ? AND lease_expires_at = "
                + "assigned_at + interval '120 seconds'", id));
        assertEquals(0, sql.count("SELECT count(*) FROM finished_attempt WHERE task_id = ?", id),
                "the running attempt lives on the task row until it ends");
        Invariants.assertAll(sql);

        complete(id, "worker-7", 1);
        assertEquals(1, sql.count("SELECT count(*) FROM finished_attempt WHERE task_id = ? AND attempt = 1 "
                + "AND worker_id = 'worker-7' AND date_trunc('milliseconds', acquired_at) = ?::timestamptz AND finished_at >= acquired_at "
                + "AND outcome = 'completed'", id, assignedAt.toString()));
        Invariants.assertAll(sql);
    }

    @Test
    void parents_come_in_parent_ids_order_with_id_channel_input_and_output() {
        String group = createGroup(unique("g"));
        String up = unique("up");
        String down = unique("down");
        String p1 = createTask(group, "p1", up, Map.of("input", Map.of("n", 1)));
        String p2 = createTask(group, "p2", up, Map.of("input", Map.of("n", 2)));
        String p3 = createTask(group, "p3", up, Map.of("input", Map.of("n", 3)));
        String child = createTask(group, "child", down, Map.of("parentIds", List.of(p3, p1, p2)));
        for (int i = 0; i < 3; i++) {
            JsonPath parent = acquire(up, "w");
            assertNull(acquire(down, "w").get("task"), "the child waits for all of its parents");
            complete(parent.getString("task._id"), "w", Map.of("from", parent.getString("task.name")));
        }
        JsonPath acquired = acquire(down, "w");
        assertEquals(child, acquired.getString("task._id"));
        assertEquals(List.of(p3, p1, p2), acquired.getList("parents._id"));
        assertEquals(List.of(p3, p1, p2), acquired.getList("task.parentIds"));
        assertEquals(task(child).getMap("$"), acquired.getMap("task"), "the task as GET /task/:id shows it");
        assertEquals(List.of("p3", "p1", "p2"), acquired.getList("parents.output.from"));
        assertEquals(List.of(3, 1, 2), acquired.getList("parents.input.n"));
        assertEquals(List.of(up, up, up), acquired.getList("parents.channel"));
        Invariants.assertAll(sql);
    }

    /**
     * The acquired document is written as text, piece by piece: strings that need escaping, unicode, nulls,
     * fractions and nested input must come out as valid JSON with the values that were sent.
     */
    @Test
    void the_acquired_document_escapes_strings_and_keeps_every_value() {
        String group = createGroup(unique("g"));
        String channel = unique("c \"quoted\" \\ ü");
        String name = "line\nbreak \"quote\" back\\slash tab\t \u0001 ü 😀";
        Map<String, Object> input = Map.of("nested", Map.of("list", List.of(1, "two", Map.of())), "s", "\"");
        String id = createTask(group, name, channel, Map.of("input", input, "workgroup", "wg \"1\"",
                "key", "k\\1", "progressWeight", 0.25, "priority", -3, "remainingAttempts", 2));
        JsonPath acquired = acquire(channel, "worker \"x\"");
        assertEquals(id, acquired.getString("task._id"));
        assertEquals(name, acquired.getString("task.name"));
        assertEquals(channel, acquired.getString("task.channel"));
        assertEquals("wg \"1\"", acquired.getString("task.workgroup"));
        assertEquals("k\\1", acquired.getString("task.key"));
        assertEquals("worker \"x\"", acquired.getString("task.assignedTo"));
        assertEquals(input, acquired.getMap("task.input"));
        assertEquals(0.25f, acquired.getFloat("task.progressWeight"));
        assertEquals(-3, acquired.getInt("task.priority"));
        assertEquals(2, acquired.getInt("task.remainingAttempts"));
        assertNull(acquired.get("task.output"));
        assertNull(acquired.get("task.runAfter"));
        assertNull(acquired.get("task.completedAt"));
        assertEquals(List.of(), acquired.getList("task.errors"));
        assertEquals(List.of(), acquired.getList("task.parentIds"));
        assertEquals(List.of(), acquired.getList("parents"));
        assertEquals(task(id).getMap("$"), acquired.getMap("task"), "the task as GET /task/:id shows it");
    }

    /**
     * A channel's history must not slow its acquires: with 2,000 finished tasks in the channel and current
     * statistics, the statement reads the partial index of ready tasks, not all of the channel's tasks.
     */
    @Test
    void the_acquire_statement_reads_the_partial_ready_index() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        for (int round = 0; round < 2; round++) {
            List<Map<String, Object>> history = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                history.add(Map.of("name", "old" + i, "channel", channel));
            }
            post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", history)).then().statusCode(200);
            List<String> leased = post("/api/v1/channel/" + channel + "/acquire_batch",
                    Map.of("workerId", "w", "limit", 1000)).then().statusCode(200).extract().path("tasks.task._id");
            assertEquals(1000, leased.size());
            List<Map<String, Object>> releases = new ArrayList<>();
            leased.forEach(id -> releases.add(Map.of("taskId", id, "workerId", "w", "output", 1)));
            post("/api/v1/tasks/release", Map.of("releases", releases)).then().statusCode(200);
        }
        for (int i = 0; i < 20; i++) {
            createTask(group, "t" + i, channel, Map.of("priority", i % 3));
        }
        assertEquals(2000, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'complete'", channel));
        sql.execute("ANALYZE task");
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("sql/worker/TaskAcquire.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
        }
        Map<String, Object> values = new HashMap<>();
        values.put("channel", channel);
        values.put("requests", "[{\"n\": 0, \"worker_id\": \"explain\", \"lim\": 1}]");
        values.put("defaultLeaseSeconds", 300);
        values.put("documents", true);
        Matcher m = Pattern.compile("(?<![:\\w]):([a-zA-Z_][a-zA-Z0-9_]*)").matcher(text);
        List<String> names = new ArrayList<>();
        StringBuilder jdbc = new StringBuilder("EXPLAIN ");
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        StringBuilder plan = new StringBuilder();
        // EXPLAIN without ANALYZE plans the statement without running it: nothing is leased.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(jdbc.toString())) {
            for (int i = 0; i < names.size(); i++) {
                assertTrue(values.containsKey(names.get(i)), "unexpected parameter " + names.get(i));
                Object value = values.get(names.get(i));
                if (value == null) {
                    ps.setNull(i + 1, Types.INTEGER);
                } else {
                    ps.setObject(i + 1, value);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        assertTrue(plan.toString().contains("task_ready_idx"), plan.toString());
        assertTrue(plan.toString().contains("LockRows"), plan.toString());
        assertEquals(20, sql.count("SELECT count(*) FROM task WHERE channel = ? AND state = 'ready'", channel),
                "EXPLAIN leased nothing");
    }
}
