package io.crewjvm.task;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.release;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * PUT /task/:id takes back what GET returned, as crew-ui's task dialog sends it: every field, the current parents
 * included. Parent changes keep the DAG's rules, checked in SQL.
 */
@QuarkusTest
class TaskUpdateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Sql sql;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void the_document_get_returned_is_accepted_back_unchanged_in_every_state() throws Exception {
        String group = createGroup(unique("g"));
        String done = leased(group, Map.of());
        complete(done, "w", Map.of("answer", 42));
        String running = leased(group, Map.of());
        String failed = leased(group, Map.of("remainingAttempts", 1));
        release(failed, Map.of("workerId", "w", "error", "boom")).then().statusCode(200);
        Map<String, String> tasks = new LinkedHashMap<>();
        tasks.put("complete", done);
        tasks.put("running", running);
        tasks.put("failed", failed);
        tasks.put("ready", newTask(group, Map.of("parentIds", List.of(done), "input", Map.of("a", List.of(1, "x")))));
        tasks.put("waiting", newTask(group, Map.of("parentIds", List.of(running, done), "workgroup", unique("wg"),
                "key", unique("k"), "priority", 3, "progressWeight", 2.5, "isSeed", true)));
        tasks.put("blocked", newTask(group, Map.of("parentIds", List.of(done, failed))));
        tasks.put("scheduled", newTask(group, Map.of("runAfter", "2099-01-02T03:04:05.678Z", "leaseSeconds", 90)));
        for (Map.Entry<String, String> t : tasks.entrySet()) {
            String read = get("/api/v1/task/" + t.getValue()).then().statusCode(200).extract().asString();
            assertEquals(t.getKey(), JSON.readTree(read).get("state").asText());
            String answered = given().contentType(ContentType.JSON).body(read).when()
                    .put("/api/v1/task/" + t.getValue()).then().statusCode(200).extract().asString();
            assertEquals(JSON.readTree(read), JSON.readTree(answered), t.getKey() + ": the answer is the document");
            assertEquals(JSON.readTree(read), JSON.readTree(get("/api/v1/task/" + t.getValue()).asString()),
                    t.getKey() + ": nothing changed");
        }
        assertEquals(2, sql.count("SELECT count(*) FROM task_edge WHERE child_id = ?", tasks.get("waiting")));
        complete(running, "w", Map.of());
        Invariants.assertAll(sql);
    }

    @Test
    void crew_ui_edit_body_keeps_adds_reorders_and_removes_parents() {
        String group = createGroup(unique("g"));
        String a = newTask(group, Map.of());
        String b = newTask(group, Map.of());
        String child = newTask(group, Map.of("parentIds", List.of(a), "input", Map.of("x", 1)));

        put("/api/v1/task/" + child, crewUiEdit(task(child))).then().statusCode(200)
                .body("parentIds", equalTo(List.of(a))).body("state", equalTo("waiting"));
        assertEdges(child, List.of(a), 1);

        Map<String, Object> added = crewUiEdit(task(child));
        added.put("parentIds", List.of(a, b));
        added.put("name", "renamed");
        put("/api/v1/task/" + child, added).then().statusCode(200)
                .body("parentIds", equalTo(List.of(a, b))).body("name", equalTo("renamed"));
        assertEdges(child, List.of(a, b), 2);

        Map<String, Object> reordered = crewUiEdit(task(child));
        reordered.put("parentIds", List.of(b.toUpperCase(), a));
        put("/api/v1/task/" + child, reordered).then().statusCode(200).body("parentIds", equalTo(List.of(b, a)));
        assertEdges(child, List.of(b, a), 2);

        Map<String, Object> removed = crewUiEdit(task(child));
        removed.put("parentIds", List.of(b));
        put("/api/v1/task/" + child, removed).then().statusCode(200).body("parentIds", equalTo(List.of(b)));
        assertEdges(child, List.of(b), 1);

        Map<String, Object> none = crewUiEdit(task(child));
        none.put("parentIds", List.of());
        put("/api/v1/task/" + child, none).then().statusCode(200).body("parentIds", equalTo(List.of()))
                .body("state", equalTo("ready")).body("input.x", equalTo(1));
        assertEdges(child, List.of(), 0);
        Invariants.assertAll(sql);
    }

    @Test
    void parents_listed_twice_are_400_and_change_nothing() {
        String group = createGroup(unique("g"));
        String a = newTask(group, Map.of());
        String b = newTask(group, Map.of());
        String child = newTask(group, Map.of("parentIds", List.of(a)));
        for (List<String> twice : List.of(List.of(a, a), List.of(b, a, b), List.of(b, b.toUpperCase()))) {
            Map<String, Object> body = crewUiEdit(task(child));
            body.put("parentIds", twice);
            body.put("name", "not applied");
            put("/api/v1/task/" + child, body).then().statusCode(400)
                    .body("message", startsWith("parentIds lists "));
        }
        assertEquals("t", task(child).getString("name"));
        assertEdges(child, List.of(a), 1);
    }

    @Test
    void a_ready_task_given_an_unfinished_parent_waits_for_it() {
        String group = createGroup(unique("g"));
        String parent = newTask(group, Map.of());
        String child = newTask(group, Map.of());
        Map<String, Object> body = crewUiEdit(task(child));
        body.put("parentIds", List.of(parent));
        put("/api/v1/task/" + child, body).then().statusCode(200).body("state", equalTo("waiting"))
                .body("parentsComplete", equalTo(false));
        assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?", child));
        String channel = task(child).getString("channel");
        assertNull(acquire(channel, "w").get("task"), "the child waits for its new parent");
        acquire(task(parent).getString("channel"), "w");
        complete(parent, "w", Map.of("from", "parent"));
        JsonPath acquired = acquire(channel, "w");
        assertEquals(child, acquired.getString("task._id"));
        assertEquals("parent", acquired.getString("parents[0].output.from"));
        complete(child, "w", Map.of());
        Invariants.assertAll(sql);
    }

    @Test
    void a_waiting_task_whose_only_unfinished_parent_is_removed_becomes_ready() {
        String group = createGroup(unique("g"));
        String done = leased(group, Map.of());
        complete(done, "w", Map.of());
        String open = newTask(group, Map.of());
        String child = newTask(group, Map.of("parentIds", List.of(done, open)));
        assertEquals("waiting", task(child).getString("state"));
        Map<String, Object> body = crewUiEdit(task(child));
        body.put("parentIds", List.of(done));
        put("/api/v1/task/" + child, body).then().statusCode(200).body("state", equalTo("ready"))
                .body("parentsComplete", equalTo(true));
        assertEquals(0, sql.count("SELECT parents_left FROM task WHERE id = ?", child));
        JsonPath acquired = acquire(task(child).getString("channel"), "w");
        assertEquals(child, acquired.getString("task._id"));
        assertEquals(List.of(done), acquired.getList("parents._id"));
        complete(child, "w", Map.of());
        Invariants.assertAll(sql);
    }

    @Test
    void a_task_given_a_failed_parent_is_blocked_with_what_waits_below_it_until_the_parent_is_removed() {
        String group = createGroup(unique("g"));
        String failed = leased(group, Map.of("remainingAttempts", 1));
        release(failed, Map.of("workerId", "w", "error", "boom")).then().statusCode(200);
        String open = newTask(group, Map.of());
        String ready = newTask(group, Map.of());
        String below = newTask(group, Map.of("parentIds", List.of(ready)));
        Map<String, Object> body = crewUiEdit(task(ready));
        body.put("parentIds", List.of(open, failed));
        put("/api/v1/task/" + ready, body).then().statusCode(200).body("state", equalTo("blocked"));
        assertEquals("blocked", task(below).getString("state"));
        assertEquals(2, sql.count("SELECT parents_left FROM task WHERE id = ?", ready));

        body = crewUiEdit(task(ready));
        body.put("parentIds", List.of(open));
        put("/api/v1/task/" + ready, body).then().statusCode(200).body("state", equalTo("waiting"));
        assertEquals("waiting", task(below).getString("state"));
        body.put("parentIds", List.of());
        put("/api/v1/task/" + ready, body).then().statusCode(200).body("state", equalTo("ready"));
        assertEquals("waiting", task(below).getString("state"));
        assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?", below));
        Invariants.assertAll(sql);
    }

    @Test
    void a_running_task_keeps_its_lease_and_may_lose_parents_but_not_gain_an_unfinished_one() {
        String group = createGroup(unique("g"));
        String done = leased(group, Map.of());
        complete(done, "w", Map.of());
        String alsoDone = leased(group, Map.of());
        complete(alsoDone, "w", Map.of());
        String open = newTask(group, Map.of());
        String running = newTask(group, Map.of("parentIds", List.of(done)));
        String holder = unique("w");
        assertEquals(running, acquire(task(running).getString("channel"), holder).getString("task._id"));

        Map<String, Object> body = crewUiEdit(task(running));
        body.put("parentIds", List.of(done, open));
        body.put("name", "not applied");
        put("/api/v1/task/" + running, body).then().statusCode(409)
                .body("message", startsWith("Task " + running + " is running"));
        assertEdges(running, List.of(done), 0);
        assertEquals("t", task(running).getString("name"));

        body = crewUiEdit(task(running));
        body.put("parentIds", List.of(alsoDone, done));
        body.put("priority", 9);
        put("/api/v1/task/" + running, body).then().statusCode(200).body("state", equalTo("running"))
                .body("assignedTo", equalTo(holder)).body("priority", equalTo(9));
        body.put("parentIds", List.of());
        put("/api/v1/task/" + running, body).then().statusCode(200).body("state", equalTo("running"))
                .body("parentIds", equalTo(List.of()));
        complete(running, holder, Map.of("ok", true));
        assertEquals("complete", task(running).getString("state"));
        Invariants.assertAll(sql);
    }

    @Test
    void a_running_task_is_not_given_the_key_of_another_running_task() {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        String key = unique("k");
        String first = newTask(group, Map.of("channel", channel, "key", key));
        String second = newTask(group, Map.of("channel", channel));
        acquire(channel, "w1");
        acquire(channel, "w2");
        Map<String, Object> body = crewUiEdit(task(second));
        body.put("key", key);
        put("/api/v1/task/" + second, body).then().statusCode(409);
        assertNull(task(second).get("key"));
        body.put("key", unique("k"));
        put("/api/v1/task/" + second, body).then().statusCode(200).body("state", equalTo("running"));
        complete(first, "w1", Map.of());
        complete(second, "w2", Map.of());
        Invariants.assertAll(sql);
    }

    @Test
    void a_complete_task_stays_complete_under_new_parents_and_waits_for_them_once_reset() {
        String group = createGroup(unique("g"));
        String open = newTask(group, Map.of());
        String done = leased(group, Map.of());
        complete(done, "w", Map.of("kept", true));
        String below = newTask(group, Map.of("parentIds", List.of(done)));
        Map<String, Object> body = crewUiEdit(task(done));
        body.put("parentIds", List.of(open));
        put("/api/v1/task/" + done, body).then().statusCode(200).body("state", equalTo("complete"))
                .body("output.kept", equalTo(true)).body("parentIds", equalTo(List.of(open)));
        assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?", done));
        assertEquals("ready", task(below).getString("state"), "what depends on it is not held back");

        post("/api/v1/task/" + done + "/reset", Map.of()).then().statusCode(200).body("state", equalTo("waiting"));
        assertEquals("waiting", task(below).getString("state"));
        // The reset task's completed attempt came before its new parent: out of the shared ledger's way.
        given().when().delete("/api/v1/task/" + open).then().statusCode(200);
        get("/api/v1/task/" + done).then().statusCode(404);
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_task_given_new_parents_stays_failed_and_waits_for_them_when_revived() {
        String group = createGroup(unique("g"));
        String open = newTask(group, Map.of());
        String failed = leased(group, Map.of("remainingAttempts", 1));
        release(failed, Map.of("workerId", "w", "error", "boom")).then().statusCode(200);
        Map<String, Object> body = crewUiEdit(task(failed));
        body.put("parentIds", List.of(open));
        put("/api/v1/task/" + failed, body).then().statusCode(200).body("state", equalTo("failed"))
                .body("remainingAttempts", equalTo(0));
        body.put("remainingAttempts", 2);
        put("/api/v1/task/" + failed, body).then().statusCode(200).body("state", equalTo("waiting"))
                .body("remainingAttempts", equalTo(2));
        assertEquals(1, sql.count("SELECT parents_left FROM task WHERE id = ?", failed));
        // Its failed attempt came before its new parent: out of the shared ledger's way.
        given().when().delete("/api/v1/task/" + open).then().statusCode(200);
        get("/api/v1/task/" + failed).then().statusCode(404);
        Invariants.assertAll(sql);
    }

    @Test
    void a_missing_parent_or_a_cycle_through_descendants_is_400_and_changes_nothing() {
        String group = createGroup(unique("g"));
        String root = newTask(group, Map.of());
        String middle = newTask(group, Map.of("parentIds", List.of(root)));
        String leaf = newTask(group, Map.of("parentIds", List.of(middle)));
        String missing = "0123456789abcdef01234567";
        Map<String, Object> body = crewUiEdit(task(root));
        body.put("parentIds", List.of(leaf));
        put("/api/v1/task/" + root, body).then().statusCode(400).body("message", startsWith("parentIds would make"));
        body.put("parentIds", List.of(missing));
        put("/api/v1/task/" + root, body).then().statusCode(400)
                .body("message", equalTo("Cannot create task with missing parent : " + missing));
        body.put("parentIds", List.of(root));
        put("/api/v1/task/" + missing, body).then().statusCode(404)
                .body("message", equalTo("Task with id " + missing + " not found!"));
        assertEdges(root, List.of(), 0);
        assertEquals("ready", task(root).getString("state"));
    }

    /**
     * Parents gained and lost while those parents are released by their workers, keyed ones by the general release
     * and the others by the common one: no deadlock, no error, and every counter is the real number of unfinished
     * parents at the end.
     */
    @Test
    void parent_changes_racing_with_the_releases_of_those_parents_keep_every_counter_exact() throws Exception {
        String group = createGroup(unique("g"));
        String channel = unique("c");
        int n = 12;
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parents.add(newTask(group, i % 2 == 0 ? Map.of("channel", channel, "key", unique("k"))
                    : Map.of("channel", channel)));
        }
        List<String> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(newTask(group, Map.of("parentIds", List.of(parents.get(i)))));
        }
        for (int i = 0; i < n; i++) {
            acquire(channel, "w");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String parent = parents.get(i);
                String child = children.get(i);
                String next = parents.get((i + 1) % n);
                calls.add(() -> release(parent, Map.of("workerId", "w", "output", 1)).statusCode());
                calls.add(() -> put("/api/v1/task/" + child, Map.of("parentIds", List.of(next))).statusCode());
            }
            for (Future<Integer> status : pool.invokeAll(calls)) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < n; i++) {
            assertEquals("ready", task(children.get(i)).getString("state"));
        }
        Invariants.assertAll(sql);
    }

    /**
     * The common release is one statement, which reads the edges as they were when it started; a PUT that gives its
     * task a child meanwhile holds the task until the new edge is committed. Forced here: a transaction of the test
     * holds the child, so the PUT waits with the parent locked; the release then starts and waits on the parent.
     */
    @Test
    void a_parent_released_while_a_put_gives_it_a_child_frees_that_child() throws Exception {
        String group = createGroup(unique("g"));
        String parent = leased(group, Map.of());
        String child = newTask(group, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM task WHERE id = ? FOR UPDATE")) {
                lock.setString(1, child);
                lock.executeQuery().close();
            }
            Future<Integer> edit = pool.submit(() -> put("/api/v1/task/" + child,
                    Map.of("parentIds", List.of(parent))).statusCode());
            awaitLockWaits(1);
            Future<Integer> released = pool.submit(() -> release(parent, Map.of("workerId", "w", "output", 1))
                    .statusCode());
            awaitLockWaits(2);
            holder.commit();
            assertEquals(200, edit.get());
            assertEquals(200, released.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("complete", task(parent).getString("state"));
        assertEquals("ready", task(child).getString("state"));
        Invariants.assertAll(sql);
    }

    private void awaitLockWaits(int sessions) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sql.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") < sessions) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + sessions + " sessions wait for a lock");
            }
            Thread.sleep(10);
        }
    }

    /** A task of its own channel; extra fields as given. */
    private static String newTask(String group, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "t", "channel", unique("c")));
        body.putAll(extra);
        return createTask(group, body).getString("_id");
    }

    /** A task leased to worker "w". */
    private static String leased(String group, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("errorDelayInSeconds", 0));
        body.putAll(extra);
        String id = newTask(group, body);
        assertEquals(id, acquire(task(id).getString("channel"), "w").getString("task._id"));
        return id;
    }

    /** The body crew-ui 1.0.12's task dialog sends, from the task it shows. */
    private static Map<String, Object> crewUiEdit(JsonPath t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", t.getString("name"));
        body.put("channel", t.getString("channel"));
        body.put("workgroup", t.getString("workgroup"));
        body.put("key", t.getString("key"));
        body.put("remainingAttempts", t.getInt("remainingAttempts"));
        body.put("priority", t.getInt("priority"));
        body.put("progressWeight", t.getDouble("progressWeight"));
        body.put("errorDelayInSeconds", t.getInt("errorDelayInSeconds"));
        body.put("isSeed", t.getBoolean("isSeed"));
        body.put("runAfter", t.getString("runAfter"));
        body.put("input", t.get("input"));
        body.put("parentIds", t.getList("parentIds"));
        return body;
    }

    /** The task's edges in SQL, in order, and its counter of parents not complete. */
    private void assertEdges(String child, List<String> parents, int open) {
        assertEquals(String.join(",", parents), sql.text("SELECT coalesce(string_agg(parent_id, ',' ORDER BY ord), '') "
                + "FROM task_edge WHERE child_id = ?", child));
        assertEquals(open, sql.count("SELECT parents_left FROM task WHERE id = ?", child));
    }
}
