package io.crewjvm.auth;

import static io.crewjvm.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.browser.Chromium;
import io.crewjvm.browser.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard with authentication on, in headless Chromium: the token is asked for once, kept for the tab's
 * session, and the group's DAG, its event stream (read with the bearer token) and its updates all work with it.
 */
@QuarkusTest
@TestProfile(TokensConfigured.class)
class DashboardWithTokensBrowserTest {

    private static final Duration UI = Duration.ofSeconds(20);
    private static final String GROUPS_SHOWN = "document.querySelector('main h1')?.textContent === 'Task groups'"
            + " && !!document.querySelector('main table')";
    private static final String HOSTILE = "<img src=x onerror=\"window.__injected=1\"> & </text><script>";

    @TestHTTPResource("/")
    URI base;

    private static JsonPath call(String token, String method, String path, Object body) {
        var request = given().header("Authorization", "Bearer " + token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().request(method, path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void the_token_is_asked_once_and_the_dag_page_works_with_it() throws Exception {
        String channel = unique("authed");
        String group = call(TokensConfigured.ADMIN, "POST", "/api/v1/task_groups", Map.of("name", unique("authed")))
                .getString("_id");
        List<Map<String, Object>> tasks = List.of(
                Map.of("name", "A", "channel", channel, "_child_id", "a"),
                Map.of("name", "B", "channel", channel, "_child_id", "b", "_parent_ids", List.of("a")),
                Map.of("name", "C", "channel", channel, "_child_id", "c", "_parent_ids", List.of("a")),
                Map.of("name", "D", "channel", channel, "_child_id", "d", "_parent_ids", List.of("b", "c")),
                Map.of("name", HOSTILE, "channel", channel, "_child_id", "e", "_parent_ids", List.of("d")));
        JsonPath created = call(TokensConfigured.ADMIN, "POST", "/api/v1/task_group/" + group + "/tasks/bulk",
                Map.of("tasks", tasks));
        String a = created.getString("[0]._id");
        String hostile = created.getString("[4]._id");

        try (Chromium browser = Chromium.launch()) {
            Page page = browser.newPage(1280, 900);
            page.answerPromptsWith(TokensConfigured.ADMIN);
            page.navigate(base + "dashboard/#/groups/" + group);
            page.waitFor("an <svg> with the four task names", "['A', 'B', 'C', 'D'].every(n => [...document"
                    + ".querySelectorAll('svg.dag a.node text.name')].some(t => t.textContent === n))", UI);
            assertEquals(1, page.dialogs().size(), "one prompt: " + page.dialogs());
            assertTrue(page.dialogs().get(0).startsWith("prompt: This service requires a token"),
                    page.dialogs().get(0));
            assertEquals(TokensConfigured.ADMIN, page.evaluate("sessionStorage.getItem('crew.apiToken')").asText());

            // A name is text, never markup: shown whole in the node's title, nothing injected.
            assertEquals(HOSTILE, page.evaluate("document.querySelector('svg.dag a.node[data-id=\"" + hostile
                    + "\"] title').textContent.split(' (')[0]").asText());
            assertEquals(0, page.evaluate("document.querySelectorAll('svg.dag img, svg.dag script').length").asInt());
            assertFalse(page.evaluate("window.__injected === 1").asBoolean());

            // The event stream is read with the bearer token: a worker's acquire shows without reloading.
            page.waitFor("the header says the page is live", "document.getElementById('live').dataset.state "
                    + "=== 'live'", UI);
            JsonPath acquired = call(TokensConfigured.WORKER, "POST", "/api/v1/channel/" + channel + "/acquire",
                    Map.of("workerId", "authed-worker"));
            assertEquals(a, acquired.getString("task._id"));
            page.waitFor("A drawn as running", "document.querySelector('svg.dag a.node[data-id=\"" + a
                    + "\"]')?.dataset.state === 'running'", UI);

            // Kept for the session: other views and a reload ask nothing more.
            page.click("a[data-nav=groups]");
            page.waitFor("the groups list", GROUPS_SHOWN, UI);
            page.reload();
            page.waitFor("the groups list after a reload", GROUPS_SHOWN, UI);
            assertEquals(1, page.dialogs().size(), "still one prompt: " + page.dialogs());
        }
    }
}
