package io.crewjvm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crewjvm.support.PrivateSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generic plan of every hot statement reaches {@code task}, {@code task_edge} and {@code finished_attempt} by
 * key, whatever those tables hold: no sequential scan, and no index read from end to end without a condition.
 * The service runs every statement on its generic plan (plan_cache_mode = force_generic_plan), which PostgreSQL
 * makes once per connection from the table's size and statistics at that moment, so a plan that is only right
 * for a large table, or only for a small one, costs every call made while the table is the other size.
 *
 * <p>The statements run, with their service's own text, against a private schema migrated by Flyway: first
 * freshly created and never analyzed, then at each size before and after ANALYZE.
 */
class PlanStabilityTest {

    static final String SCHEDULE_DUE = "schedule/ScheduleLockDue";
    /**
     * Acquire, release (simple, general, batch), heartbeat, create, bulk create, reclaim (and time-outs), promote; a
     * group's counts; cancel, retry, the steps that run when their parents are done, a refused lease's reason;
     * the failed tasks across groups (a page, a bulk retry's next batch); the due check of the schedule tick.
     */
    static final List<String> HOT_STATEMENTS = List.of(
            "worker/TaskAcquire", "worker/TaskAcquirePlain", "worker/ChannelHasThrottled",
            "worker/TaskLeasedDocuments", "worker/TaskPromoteDueInChannel",
            "worker/TaskCompleteSimpleMany",
            "task/TaskLock", "worker/TaskComplete", "worker/TaskFail", "worker/TaskMergeDuplicates",
            "worker/TaskReleaseChildren", "worker/TaskDelayChildren", "task/TaskUnblock", "task/TaskBlock",
            "workgroup/WorkgroupExtendPause", "workgroup/WorkgroupRehold",
            "worker/TaskHeartbeat",
            "task/TaskLockParents", "task/TaskInsert", "task/TaskEdgeInsert", "task/TaskGet", "task/TaskGetMany",
            "task/TaskDocuments", "maintenance/TaskReclaimExpired", "maintenance/TaskPromoteDue",
            "group/GroupTaskCounts",
            "task/TaskCancel", "task/TaskParentsDoneChildIds", "task/TaskRevive", "worker/TaskAttemptLost",
            "task/TaskListStopped", SCHEDULE_DUE);
    /** Functions that hot statements and triggers call per task or per lease, called with one parameter. */
    static final List<String> HOT_FUNCTIONS = List.of(
            "SELECT * FROM workgroup_chain($1)");
    static final Set<String> PROBED_TABLES = Set.of("task", "task_edge", "finished_attempt");
    /** Ad accounts under apps: the throttled tasks' workgroups, each with a cap. */
    static final int WORKGROUPS = 5_000;
    static final int APPS = 10;
    static final String THROTTLED_CHANNEL = "channel-1";
    static final int SCHEDULES = 10_000;
    /** As many as one tick locks at once (ScheduleTick.BATCH). */
    static final int DUE_LIMIT = 100;
    static final int DUE_RUNS = 200;
    static final int DUE_WARM_UP = 20;
    static final int[] TABLE_SIZES = {1_000, 10_000, 30_000, 100_000, 1_000_000};

    @RegisterExtension
    static final PrivateSchema schema = new PrivateSchema("plan_check");

    @BeforeAll
    static void setUpSchema() throws SQLException {
        schema.execute("SET plan_cache_mode = force_generic_plan");
    }

    @Test
    void hot_statements_probe_by_key_at_every_table_size_analyzed_or_not() throws SQLException {
        List<String> violations = new ArrayList<>(violations("fresh table, never analyzed"));
        int rows = 0;
        for (int size : TABLE_SIZES) {
            fill(rows, size);
            rows = size;
            violations.addAll(violations(size + " tasks, not analyzed since"));
            violations.addAll(throttledAcquireScans(size + " tasks, not analyzed since"));
            schema.execute("ANALYZE task, task_edge, finished_attempt, workgroup");
            violations.addAll(violations(size + " tasks, analyzed"));
            violations.addAll(throttledAcquireScans(size + " tasks, analyzed"));
        }
        assertEquals("1000000", schema.text("SELECT count(*) FROM task"));
        assertEquals("100000", schema.text("SELECT count(*) FROM task WHERE throttled"));
        assertEquals("10000", schema.text("SELECT count(*) FROM task WHERE throttled AND state = 'ready'"));
        assertEquals(List.of(), violations, "plans that read a table whole:\n" + String.join("\n", violations));
    }

    /**
     * The due check of every schedule tick reads schedule_due_idx by range, never the whole table (the loop above
     * covers it too, with the schedule table empty), and with
     * 10,000 schedules (none due, as between fire times, or a hundred due) stays far under 5 ms: the figure of
     * docs/benchmarks.md is printed here.
     */
    @Test
    void the_due_check_of_10000_schedules_reads_the_due_index_in_under_5_ms() throws SQLException {
        String sql = numbered(NamedSql.load(SCHEDULE_DUE));
        List<String> violations = new ArrayList<>(dueCheckViolations("no schedule, never analyzed", sql));
        schema.execute("INSERT INTO schedule (id, name, every_seconds, time_zone, anchor_at, overlap, catch_up, template, "
                + "next_fire_at, is_paused) "
                + "SELECT 'cc' || lpad(to_hex(i), 22, '0'), 'schedule ' || i, 60, 'UTC', now(), 'allow', 'latest', "
                + "'{\"tasks\": []}', now() + make_interval(secs => 1 + mod(i, 86400)), mod(i, 10) = 0 "
                + "FROM generate_series(1, " + SCHEDULES + ") i");
        violations.addAll(dueCheckViolations(SCHEDULES + " schedules, not analyzed", sql));
        schema.execute("ANALYZE schedule");
        violations.addAll(dueCheckViolations(SCHEDULES + " schedules, analyzed", sql));
        assertEquals(List.of(), violations, "due checks that read the schedule table whole");

        double noneDue = meanMillis(sql);
        schema.execute("UPDATE schedule SET next_fire_at = now() - interval '1 second' WHERE mod(abs(hashtext(id)), 100) = 0");
        double someDue = meanMillis(sql);
        System.out.printf("[plans] due check, %d schedules: %.3f ms with none due, %.3f ms locking up to %d due%n",
                SCHEDULES, noneDue, someDue, DUE_LIMIT);
        assertTrue(noneDue < 5, "due check with none due: " + noneDue + " ms");
        assertTrue(someDue < 5, "due check locking " + DUE_LIMIT + ": " + someDue + " ms");
    }

    private static List<String> dueCheckViolations(String situation, String sql) throws SQLException {
        List<String> found = new ArrayList<>();
        JsonNode plan = plan(sql, 1);
        if (!plan.toString().contains("schedule_due_idx")) {
            found.add(situation + ": the due check does not read schedule_due_idx: " + plan);
        }
        if (plan.toString().contains("\"Seq Scan\"")) {
            found.add(situation + ": the due check reads a table whole: " + plan);
        }
        return found;
    }

    /** The mean time of the due check, on its generic plan, over many runs each rolled back (it locks rows). */
    private static double meanMillis(String sql) throws SQLException {
        Connection c = schema.connection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql.replace("$1", "?"))) {
            ps.setInt(1, DUE_LIMIT);
            long total = 0;
            for (int run = 0; run < DUE_RUNS + DUE_WARM_UP; run++) {
                long begin = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
                c.rollback();
                if (run >= DUE_WARM_UP) {
                    total += System.nanoTime() - begin;
                }
            }
            return total / 1e6 / DUE_RUNS;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * The throttled acquire, run (and rolled back) on its generic plan over the throttled channel's hundreds of
     * workgroup queues: it reads the rows of the workgroups it needs by key, never the whole workgroup table (a
     * sequential scan, once, as a hash join's build, costs every acquire the number of workgroups; once per queue,
     * their product).
     */
    private static List<String> throttledAcquireScans(String situation) throws SQLException {
        NamedSql statement = NamedSql.load("worker/TaskAcquire");
        Map<String, String> values = Map.of("channel", "'" + THROTTLED_CHANNEL + "'", "documents", "true",
                "defaultLeaseSeconds", "300",
                "requests", "'[{\"n\":0,\"worker_id\":\"a\",\"lim\":2},{\"n\":1,\"worker_id\":\"b\",\"lim\":1}]'");
        String arguments = new LinkedHashSet<>(statement.parameters()).stream().map(values::get)
                .collect(Collectors.joining(", "));
        Connection c = schema.connection();
        c.setAutoCommit(false);
        schema.execute("PREPARE hot AS " + numbered(statement));
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hot(" + arguments + ")")) {
            rs.next();
            JsonNode plan = new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
            return workgroupScans(plan, "the statement").stream().map(scan -> situation + ": worker/TaskAcquire: " + scan).toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
            schema.execute("DEALLOCATE hot");
        }
    }

    /**
     * Sequential scans of the workgroup table (its thousands of rows) that ran in an executed plan, each named with
     * the part of the statement (a CTE, a sub-select) it ran in.
     */
    private static List<String> workgroupScans(JsonNode node, String part) {
        String here = node.path("Subplan Name").asText(part);
        List<String> found = new ArrayList<>();
        if (node.path("Relation Name").asText("").equals("workgroup") && node.path("Node Type").asText().equals(
                "Seq Scan") && node.path("Actual Loops").asLong() > 0) {
            found.add("Seq Scan on workgroup in " + here + ", " + node.path("Actual Loops").asLong() + " times");
        }
        node.path("Plans").forEach(child -> found.addAll(workgroupScans(child, here)));
        return found;
    }

    /**
     * The workgroup list ({@code GET /api/v1/workgroups}, and the dashboard's workgroups page) and the metrics'
     * workgroup flow (every 15 s while scraped) work out each workgroup's running count once, however many chains
     * it is in: they used to count an app again for each of its accounts (5,000 accounts under ten apps: 6 to 8 s
     * each, against 0.1 to 0.2 s). Counted by PostgreSQL's own statistics of PL/pgSQL calls in the transaction.
     */
    @Test
    void the_workgroup_list_and_flow_count_each_workgroups_running_tasks_once() throws SQLException {
        Connection c = schema.connection();
        c.setAutoCommit(false); // the workgroups added here are rolled back
        try {
            schema.execute("INSERT INTO workgroup (name, max_running) SELECT 'list-app-' || a, 100 "
                    + "FROM generate_series(0, 9) a");
            schema.execute("INSERT INTO workgroup (name, max_running, parent) SELECT 'list-account-' || w, 2, "
                    + "'list-app-' || mod(w, 10) FROM generate_series(0, 999) w");
            long workgroups = Long.parseLong(schema.text("SELECT count(*) FROM workgroup"));
            schema.execute("SET LOCAL track_functions = 'pl'");
            for (String statement : List.of("workgroup/WorkgroupList", "metrics/WorkgroupFlow")) {
                long before = runningCounts();
                int rows = rows(numbered(NamedSql.load(statement)), statement.endsWith("List") ? "(NULL)" : "");
                long calls = runningCounts() - before;
                assertTrue(rows >= 1_010, statement + ": " + rows + " rows, not all the workgroups added");
                assertTrue(calls > 0, statement + ": the running counts are PL/pgSQL calls");
                assertTrue(calls <= workgroups, statement + ": " + calls + " running counts for " + workgroups
                        + " workgroups");
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** Calls of workgroup_running in this transaction so far. */
    private static long runningCounts() throws SQLException {
        return Long.parseLong(schema.text("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                + "WHERE schemaname = 'plan_check' AND funcname = 'workgroup_running'"));
    }

    /** Runs a statement on its generic plan and counts its rows. */
    private static int rows(String sql, String arguments) throws SQLException {
        schema.execute("PREPARE counted AS " + sql);
        try (Statement st = schema.connection().createStatement();
                ResultSet rs = st.executeQuery("EXECUTE counted" + arguments)) {
            int rows = 0;
            while (rs.next()) {
                rows++;
            }
            return rows;
        } finally {
            schema.execute("DEALLOCATE counted");
        }
    }

    @Test
    void the_check_sees_a_sequential_scan() throws SQLException {
        // A statement that cannot help reading the whole table: the check must report it.
        assertTrue(scansWithoutKey(plan("SELECT count(*) FROM task WHERE input IS NOT NULL", 0)).contains(
                "Seq Scan on task"));
    }

    private static List<String> violations(String situation) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String name : HOT_STATEMENTS) {
            NamedSql statement = NamedSql.load(name);
            for (String scan : scansWithoutKey(plan(numbered(statement), distinctParameters(statement)))) {
                found.add(situation + ": " + name + ": " + scan);
            }
        }
        for (String call : HOT_FUNCTIONS) {
            for (String scan : scansWithoutKey(plan(call, 1), Set.of("workgroup"))) {
                found.add(situation + ": " + call + ": " + scan);
            }
        }
        return found;
    }

    /** The statement's text with its JDBC placeholders numbered, one number per distinct parameter name. */
    private static String numbered(NamedSql statement) {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(statement.parameters()));
        StringBuilder sql = new StringBuilder();
        int next = 0;
        for (char c : statement.jdbc().toCharArray()) {
            sql.append(c == '?' ? "$" + (names.indexOf(statement.parameters().get(next++)) + 1) : c);
        }
        return sql.toString();
    }

    private static int distinctParameters(NamedSql statement) {
        return new HashSet<>(statement.parameters()).size();
    }

    /** The generic plan, as PostgreSQL's JSON, of a statement whose parameter types PostgreSQL infers; EXPLAIN
     * of EXECUTE does not run it. */
    private static JsonNode plan(String sql, int parameters) throws SQLException {
        schema.execute("PREPARE hot AS " + sql);
        try {
            String nulls = String.join(", ", Collections.nCopies(parameters, "NULL"));
            try (Statement st = schema.connection().createStatement();
                    ResultSet rs = st.executeQuery("EXPLAIN (COSTS OFF, FORMAT JSON) EXECUTE hot"
                            + (parameters == 0 ? "" : "(" + nulls + ")"))) {
                rs.next();
                return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            schema.execute("DEALLOCATE hot");
        }
    }

    /** Scans of the probed tables that read them whole: sequential, or an index read without a condition. */
    static List<String> scansWithoutKey(JsonNode node) {
        return scansWithoutKey(node, PROBED_TABLES);
    }

    static List<String> scansWithoutKey(JsonNode node, Set<String> tables) {
        List<String> found = new ArrayList<>();
        String table = node.path("Relation Name").asText("");
        String type = node.path("Node Type").asText();
        boolean indexRead = type.equals("Index Scan") || type.equals("Index Only Scan");
        if (tables.contains(table)
                && (type.equals("Seq Scan") || (indexRead && !node.has("Index Cond")))) {
            found.add(type + " on " + table + (indexRead ? " using " + node.path("Index Name").asText() : ""));
        }
        if (type.equals("Bitmap Index Scan") && !node.has("Index Cond")) {
            found.add("Bitmap Index Scan without condition using " + node.path("Index Name").asText());
        }
        node.path("Plans").forEach(child -> found.addAll(scansWithoutKey(child, tables)));
        return found;
    }

    /** SQL for the id of group number {@code n} (an integer expression) of twenty. */
    private static String groupId(String n) {
        return "'ffffffffffffffffffffff' || lpad(to_hex(mod(" + n + ", 20)), 2, '0')";
    }

    /**
     * Grows the task table to {@code to} rows the way a working system fills it: mostly completed tasks with their
     * ledger rows and a chain of edges, some ready, running and waiting, spread over twenty groups (so that a
     * group is a twentieth of the table, not all of it); the tasks of THROTTLED_CHANNEL, where all ready tasks
     * are, are throttled, spread over thousands of capped workgroups under a few apps (the first fill makes
     * them), so that a plan which reads the workgroup table whole, or expects some of every channel's tasks to be
     * throttled, shows.
     */
    private static void fill(int from, int to) throws SQLException {
        if (from == 0) {
            schema.execute("INSERT INTO workgroup (name, max_running) SELECT 'app-' || a, 100 "
                    + "FROM generate_series(0, " + (APPS - 1) + ") a");
            schema.execute("INSERT INTO workgroup (name, max_running, parent) SELECT 'wg-' || w, 2, 'app-' || mod(w, "
                    + APPS + ") FROM generate_series(0, " + (WORKGROUPS - 1) + ") w");
        }
        schema.execute("INSERT INTO task_group (id, name) SELECT " + groupId("g") + ", 'plans' "
                + "FROM generate_series(0, 19) g ON CONFLICT DO NOTHING");
        schema.execute("""
                INSERT INTO task (id, group_id, name, channel, key, input, output, state, remaining_attempts,
                                  completed_at, attempt, assigned_to, assigned_at, lease_expires_at, parents_left,
                                  workgroup, throttled)
                SELECT lpad(to_hex(i), 24, '0'), %s, 'task ' || i, 'channel-' || mod(i, 10),
                       CASE WHEN mod(i, 7) = 0 THEN 'key-' || i END, '{"n":1}',
                       CASE s.state WHEN 'complete' THEN '{"ok":true}'::jsonb END, s.state::task_state,
                       CASE s.state WHEN 'complete' THEN 0 ELSE 3 END,
                       CASE s.state WHEN 'complete' THEN now() END,
                       CASE s.state WHEN 'complete' THEN 1 WHEN 'running' THEN 1 ELSE 0 END,
                       CASE s.state WHEN 'running' THEN 'worker' END,
                       CASE s.state WHEN 'running' THEN now() END,
                       CASE s.state WHEN 'running' THEN now() + interval '1 minute' END,
                       CASE s.state WHEN 'waiting' THEN 1 ELSE 0 END,
                       CASE WHEN mod(i, 10) = 1 THEN 'wg-' || mod(i / 10, %d) END, mod(i, 10) = 1
                FROM generate_series(%d, %d) i
                CROSS JOIN LATERAL (SELECT CASE mod(i, 100) WHEN 1 THEN 'ready' WHEN 2 THEN 'running'
                                                        WHEN 3 THEN 'waiting' ELSE 'complete' END AS state) s
                """.formatted(groupId("i"), WORKGROUPS, from + 1, to));
        schema.execute("INSERT INTO task_edge (parent_id, child_id, ord) SELECT lpad(to_hex(i - 1), 24, '0'), "
                + "lpad(to_hex(i), 24, '0'), 0 FROM generate_series(" + Math.max(2, from + 1) + ", " + to + ") i");
        schema.execute("INSERT INTO finished_attempt (task_id, attempt, worker_id, acquired_at, finished_at, outcome) "
                + "SELECT id, 1, 'worker', now(), now(), 'completed' FROM task "
                + "WHERE state = 'complete' AND id > lpad(to_hex(" + from + "), 24, '0')");
    }
}
