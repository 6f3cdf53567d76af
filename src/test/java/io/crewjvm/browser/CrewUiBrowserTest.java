package io.crewjvm.browser;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.task;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Crew's own UI, crew-ui 1.0.12 from npm, unchanged, in headless Chromium against the service: built and served by
 * its own {@code crew-ui serve --url <service>} (see {@link CrewUi}), then used like a user uses it. A task is
 * edited in its dialog (its parents kept), and a worker's progress shows on the group page without a reload, over
 * crew-ui's socket.io connection. No response of the service may be a 5xx, and the page may show no error.
 * Screenshots go to {@code screenshots.dir} when it is set.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrewUiBrowserTest {

    private static final Duration UI = Duration.ofSeconds(20);
    private static final String ROWS = "document.querySelectorAll('.p-datatable-tbody > tr')";
    /** Messages crew-ui shows on failures: a Message of severity error (page, dialogs), or an error toast. */
    private static final String ERRORS_SHOWN = "[...document.querySelectorAll('.p-message-error, "
            + ".p-toast-message-error')].map(e => e.textContent.trim()).join(' | ')";
    private static Chromium browser;
    private static CrewUi crewUi;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (crewUi != null) {
            crewUi.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    /** crew-ui built against this service's URL (the test port is chosen at start) and served: once per run. */
    private URI crewUi() throws Exception {
        if (crewUi == null) {
            crewUi = CrewUi.serve(base);
        }
        return crewUi.url;
    }

    /** A parent and a child (parentIds [parent]) in a new group: group, parent, child ids. */
    private static List<String> parentAndChild(String channel) {
        String group = createGroup(unique("crew-ui"));
        String parent = createTask(group, Map.of("name", "parent", "channel", channel)).getString("_id");
        String child = createTask(group, Map.of("name", "child", "channel", channel, "parentIds", List.of(parent)))
                .getString("_id");
        return List.of(group, parent, child);
    }

    /**
     * Opens crew-ui's list of groups and follows the group's link, as a user does: crew-ui's router uses the
     * browser's history, and its server has no fallback to index.html for a path like /task_group/ID.
     */
    private Page openGroup(String group, int tasks) throws Exception {
        Page page = browser.newPage(1280, 900);
        page.recordNetwork();
        page.navigate(crewUi().toString());
        String link = "a[href=\"/task_group/" + group + "\"]";
        page.waitFor("the new group listed on crew-ui's Task Groups page",
                "!!document.querySelector(" + json(link) + ")", UI);
        page.click(link);
        page.waitFor("the group page with its " + tasks + " tasks", "location.pathname === '/task_group/" + group
                + "' && " + ROWS + ".length === " + tasks, UI);
        return page;
    }

    /**
     * Goes to one of crew-ui's pages through its router, as its menu would: with the PrimeVue that crew-ui 1.0.12's
     * range resolves to (3.53), the menu's items (given a router {@code to}) render without a link and do nothing,
     * and crew-ui's server answers 404 to a path like /channels.
     */
    private static void routeTo(Page page, String path) throws InterruptedException {
        page.waitFor("crew-ui's app mounted", "!!document.querySelector('#app').__vue_app__", UI);
        page.evaluate("document.querySelector('#app').__vue_app__.config.globalProperties.$router.push("
                + json(path) + ")");
    }

    private static String json(String s) {
        return browser.json.valueToTree(s).toString();
    }

    /** The row (1-based, for :nth-child) of a task in crew-ui's table; its first cell's tag shows the task's id. */
    private static int row(Page page, String taskId) {
        int index = page.evaluate("[..." + ROWS + "].findIndex(tr => tr.cells[0]?.querySelector('.p-tag-value')"
                + "?.textContent === " + json(taskId) + ")").asInt();
        assertTrue(index >= 0, "task " + taskId + " is listed");
        return index + 1;
    }

    /** The state crew-ui's status tag shows for a task: complete, running, waiting (a clock), or failed. */
    private static String stateShown(String taskId) {
        return "(() => { const tr = [..." + ROWS + "].find(tr => tr.cells[0]?.querySelector('.p-tag-value')"
                + "?.textContent === " + json(taskId) + "); const tag = tr?.cells[0].querySelector('.p-tag');"
                + " if (!tag) return null; const icon = tag.querySelector('.p-tag-icon')?.className ?? '';"
                + " return tag.classList.contains('p-tag-success') && icon.includes('pi-check') ? 'complete'"
                + " : icon.includes('pi-spinner') ? 'running' : icon.includes('pi-clock') ? 'waiting' : 'failed'; })()";
    }

    private static void awaitState(Page page, String name, String taskId, String state) throws InterruptedException {
        page.waitFor(name + " shown " + state, stateShown(taskId) + " === '" + state + "'", UI);
    }

    /** No error shown, no uncaught exception, no 5xx answered to the browser. */
    private static void assertNoErrors(Page page) {
        String shown = page.evaluate(ERRORS_SHOWN).asText();
        assertTrue(shown.isEmpty() && page.serverErrors().isEmpty() && page.exceptions().isEmpty(),
                "crew-ui shows: \"" + shown + "\"; 5xx answered to the browser: " + page.serverErrors()
                        + "; uncaught exceptions in the page: " + page.exceptions());
    }

    private static void screenshot(Page page, String name) throws Exception {
        String dir = System.getProperty("screenshots.dir");
        if (dir != null && !dir.isBlank()) {
            page.screenshot(Path.of(dir).resolve(name));
        }
    }

    @Test
    @Order(1)
    void a_task_edited_in_crew_uis_dialog_is_saved_with_its_parent_kept() throws Exception {
        String channel = unique("crew-ui-edit");
        List<String> ids = parentAndChild(channel);
        String group = ids.get(0);
        String parent = ids.get(1);
        String child = ids.get(2);
        Page page = openGroup(group, 2);
        assertEquals("waiting", page.evaluate(stateShown(child)).asText());

        // The child's pencil button (view is the eye, delete the bin), then its Task Detail dialog.
        page.click(".p-datatable-tbody > tr:nth-child(" + row(page, child) + ") button.p-button-primary");
        page.waitFor("the Task Detail dialog of the child", "document.querySelector('.p-dialog .p-dialog-title')"
                + "?.textContent === 'Task Detail' && document.querySelector('.p-dialog input#name')?.value === 'child'"
                + " && document.querySelector('.p-dialog input#parentIds')?.value === " + json(parent), UI);
        page.type(".p-dialog input#name", "child, renamed in crew-ui");
        page.type(".p-dialog #priority input", "7");
        screenshot(page, "crew-ui-task-edit.png");
        page.click(".p-dialog-footer button.p-button-primary"); // Save
        page.waitFor("the dialog closed after the save, or an error shown",
                "!document.querySelector('.p-dialog') || !!(" + ERRORS_SHOWN + ")", UI);
        assertNoErrors(page);

        JsonPath saved = task(child);
        assertEquals("child, renamed in crew-ui", saved.getString("name"));
        assertEquals(7, saved.getInt("priority"));
        assertEquals(List.of(parent), saved.getList("parentIds"), "the parent is kept");
        assertEquals(channel, saved.getString("channel"));
        assertEquals(false, saved.getBoolean("isComplete"));
        page.waitFor("the new name in the table", "[..." + ROWS + "].some(tr => tr.cells[1]?.textContent.trim()"
                + " === 'child, renamed in crew-ui')", UI);
        // The child sorts first now (priority 7); the parent still gates it: acquiring gives the parent.
        assertEquals(parent, acquire(channel, "crew-ui-worker").getString("task._id"));
        assertNoErrors(page);
    }

    @Test
    @Order(2)
    void a_task_completed_by_a_worker_shows_complete_without_a_reload() throws Exception {
        String channel = unique("crew-ui-live");
        List<String> ids = parentAndChild(channel);
        String group = ids.get(0);
        String parent = ids.get(1);
        String child = ids.get(2);
        Page page = openGroup(group, 2);
        awaitState(page, "the parent", parent, "waiting");
        // crew-ui joins the group's room once its socket.io connection is up: emit('watchTaskGroup', {taskGroupId}).
        long deadline = System.nanoTime() + UI.toNanos();
        while (page.sent().stream().noneMatch(m -> m.contains("watchTaskGroup") && m.contains(group))) {
            assertTrue(System.nanoTime() < deadline, "crew-ui never sent watchTaskGroup for the group over its "
                    + "socket.io connection (/socket.io/ on the service's port); sent: " + page.sent()
                    + "; errors shown: " + page.evaluate(ERRORS_SHOWN));
            Thread.sleep(50);
        }
        page.evaluate("window.__sameDocument = true");

        assertEquals(parent, acquire(channel, "crew-ui-worker").getString("task._id"));
        awaitState(page, "the parent", parent, "running");
        complete(parent, "crew-ui-worker", Map.of("ok", true));
        awaitState(page, "the parent", parent, "complete");
        page.waitFor("the progress bar at 50 %", "document.querySelector('.p-progressbar')?.textContent"
                + ".includes('Percent Complete: 50.00%')", UI);
        page.waitFor("the progress bar's fill grown to half its width (a one second transition)",
                "Math.abs(document.querySelector('.p-progressbar-value').getBoundingClientRect().width / document"
                + ".querySelector('.p-progressbar').getBoundingClientRect().width - 0.5) < 0.01", UI);
        screenshot(page, "crew-ui-group.png");

        assertEquals(child, acquire(channel, "crew-ui-worker").getString("task._id"));
        complete(child, "crew-ui-worker", Map.of("ok", true));
        awaitState(page, "the child", child, "complete");
        page.waitFor("the progress bar at 100 %", "document.querySelector('.p-progressbar')?.textContent"
                + ".includes('Percent Complete: 100.00%')", UI);
        assertTrue(page.evaluate("window.__sameDocument === true").asBoolean(), "the page was never reloaded");
        assertNoErrors(page);
    }

    @Test
    @Order(3)
    void the_channels_and_operators_pages_list_what_the_service_has_and_an_operator_is_deleted_there()
            throws Exception {
        String channel = unique("crew-ui-pages");
        String group = createGroup(unique("crew-ui"));
        createTask(group, "one", channel);
        createTask(group, "two", channel);
        complete(acquire(channel, "crew-ui-worker").getString("task._id"), "crew-ui-worker", Map.of());
        String hooked = channel + "-hook";
        String operator = post("/api/v1/operators", Map.of("channel", hooked, "url", "http://127.0.0.1:9/hook",
                "isPaused", true)).then().statusCode(200).extract().path("_id");
        Page page = browser.newPage(1280, 900);
        page.recordNetwork();
        page.navigate(crewUi().toString());

        routeTo(page, "/channels");
        page.waitFor("the channel with 2 tasks, 1 complete, none assigned", "location.pathname === '/channels' && [..."
                + ROWS + "].some(tr => [...tr.cells].map(c => c.textContent.trim()).join('|') === "
                + json(channel + "|2|1|0") + ")", UI);

        routeTo(page, "/operators");
        String cells = "[...tr.cells].slice(0, 4).map(c => c.textContent.trim()).join('|') === "
                + json(operator + "|" + hooked + "|http://127.0.0.1:9/hook|Yes");
        page.waitFor("the paused operator listed", "location.pathname === '/operators' && [..." + ROWS
                + "].some(tr => " + cells + ")", UI);
        screenshot(page, "crew-ui-operators.png");
        int row = page.evaluate("[..." + ROWS + "].findIndex(tr => " + cells + ")").asInt() + 1;
        page.click(".p-datatable-tbody > tr:nth-child(" + row + ") button.p-button-danger");
        page.waitFor("the Delete Operator dialog", "document.querySelector('.p-dialog .p-dialog-title')?.textContent"
                + " === 'Delete Operator'", UI);
        page.click(".p-dialog-footer button.p-button-danger");
        page.waitFor("the dialog closed and the operator gone, or an error shown", "(!document.querySelector("
                + "'.p-dialog') && ![..." + ROWS + "].some(tr => " + cells + ")) || !!(" + ERRORS_SHOWN + ")", UI);
        assertNoErrors(page);
        get("/api/v1/operator/" + operator).then().statusCode(404);
    }
}
