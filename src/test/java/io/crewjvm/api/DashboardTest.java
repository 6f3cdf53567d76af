package io.crewjvm.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard at /dashboard/ as a browser loads it: the page, every script and stylesheet it pulls in (imports
 * followed), and what those files may and may not contain.
 */
@QuarkusTest
class DashboardTest {

    private static final Pattern PAGE_ASSET = Pattern.compile("(?:src|href)=\"([\\w./-]+\\.(?:js|css))\"");
    private static final Pattern IMPORT = Pattern.compile("(?:import|from)\\s*['\"](\\./[\\w./-]+\\.js)['\"]");
    private static final Pattern API_CALL = Pattern.compile("`\\.\\./api/v1/([^`]*)`");
    /** The event streams are Vert.x routes, documented in docs/operations.md rather than in the OpenAPI document. */
    private static final Set<String> EVENT_STREAMS = Set.of("events", "task_group/{}/events");

    @Test
    void dashboard_page_is_html_and_loads_its_script_and_stylesheet() {
        given().when().get("/dashboard/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"))
                .body(containsString("<link rel=\"stylesheet\" href=\"dashboard.css\">"));
    }

    @Test
    void every_asset_is_served_with_its_content_type() {
        Map<String, String> assets = assets();
        assertTrue(assets.keySet().containsAll(List.of("app.js", "api.js", "dom.js", "dashboard.css")),
                "imports were followed: " + assets.keySet());
        for (String name : assets.keySet()) {
            String type = name.endsWith(".css") ? "text/css" : "javascript";
            given().when().get("/dashboard/" + name).then().statusCode(200).contentType(containsString(type));
        }
    }

    @Test
    void the_dashboard_loads_nothing_from_another_host() {
        Map<String, String> files = new LinkedHashMap<>(assets());
        files.put("index.html", page());
        Pattern outside = Pattern.compile("https?://|[\"'(]\\s*//\\w|@import", Pattern.CASE_INSENSITIVE);
        files.forEach((name, text) -> {
            // The SVG namespace is a name, not an address: createElementNS needs it and nothing is fetched from it.
            Matcher m = outside.matcher(text.replace("'http://www.w3.org/2000/svg'", "'svg namespace'"));
            assertFalse(m.find(), () -> name + " refers to another host near: " + around(text, m.start()));
        });
    }

    @Test
    void scripts_never_parse_data_as_html_or_code() {
        Pattern sink = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\("
                + "|new\\s+Function|setTimeout\\s*\\(\\s*['\"`]");
        scripts().forEach((name, text) -> {
            Matcher m = sink.matcher(text);
            assertFalse(m.find(), () -> name + " has an HTML or code sink near: " + around(text, m.start()));
        });
    }

    /** Relative API paths keep the dashboard working behind a path prefix; encoded values keep ids in their place. */
    @Test
    void api_calls_are_relative_encoded_and_exist_in_the_openapi_document() {
        Set<String> documented = given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().<String, Object>getMap("paths").keySet().stream()
                .map(p -> p.replaceAll("\\{[^}]+}", "{}")).collect(Collectors.toSet());
        int calls = 0;
        for (Map.Entry<String, String> script : scripts().entrySet()) {
            String text = script.getValue();
            assertFalse(Pattern.compile("(?<!\\.\\./)api/v1").matcher(text).find(),
                    script.getKey() + " calls the API by a path that is not relative to /dashboard/");
            Matcher m = API_CALL.matcher(text);
            while (m.find()) {
                calls++;
                String path = m.group(1).split("\\?", 2)[0];
                String normalised = path.replaceAll("\\$\\{enc\\([\\w.]+\\)}", "{}");
                assertFalse(normalised.contains("${"), "a value in a path is not encoded: " + path);
                if (EVENT_STREAMS.contains(normalised)) {
                    continue;
                }
                assertTrue(documented.contains("/api/v1/" + normalised), "not an API path: " + path);
            }
        }
        assertTrue(calls >= 15, "the API calls were found: " + calls);
    }

    /** The service's root: a landing page styled by the dashboard's stylesheet, which keeps Crew's greeting. */
    @Test
    void the_landing_page_keeps_crews_greeting_wears_the_dashboards_style_and_its_links_answer() {
        String html = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", equalTo("no-cache")).extract().asString();
        Matcher greeting = Pattern.compile("<p class=\"greeting\">(.*?)</p>", Pattern.DOTALL).matcher(html);
        assertTrue(greeting.find(), html);
        assertTrue(greeting.group(1).contains("<a href=\"./dashboard/\">my UI</a>"), greeting.group(1));
        assertEquals("Hi!  I'm Crew.  You'll need to use my API or my UI to see what is going on.",
                greeting.group(1).replaceAll("<[^>]*>", ""));
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"dashboard/dashboard.css\">"), html);
        given().when().get("/dashboard/dashboard.css").then().statusCode(200).body(containsString(".landing"));
        Matcher link = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        Set<String> links = new java.util.TreeSet<>();
        while (link.find()) {
            links.add(link.group(1));
        }
        assertTrue(links.containsAll(List.of("dashboard/", "api-docs/", "healthz", "q/health/ready", "q/metrics")),
                "the dashboard, the API documentation, health and metrics: " + links);
        for (String href : links) {
            // Relative, so that the page works behind a path prefix; each answers.
            assertFalse(href.startsWith("/") || href.contains("//"), href);
            int status = given().when().get("/" + href.replaceFirst("^\\./", "")).then().extract().statusCode();
            assertEquals(200, status, href);
        }
    }

    @Test
    void dashboard_without_its_slash_redirects_relatively_and_files_are_revalidated() {
        given().redirects().follow(false).when().get("/dashboard").then().statusCode(302)
                .header("Location", equalTo("dashboard/"));
        // Not cached as immutable: after an upgrade the browser must not keep old modules for a day.
        given().when().get("/dashboard/app.js").then().statusCode(200).header("Cache-Control", equalTo("no-cache"));
        given().redirects().follow(false).when().get("/dashboard/").then().statusCode(200)
                .header("Cache-Control", equalTo("no-cache"));
    }

    @Test
    void a_missing_dashboard_file_is_a_json_404() {
        given().when().get("/dashboard/nothing.js").then().statusCode(404).contentType(containsString("json"));
    }

    private static String page() {
        return given().when().get("/dashboard/").then().statusCode(200).extract().asString();
    }

    /** Every file the page loads, by name, following the scripts' relative imports. */
    private static Map<String, String> assets() {
        Map<String, String> found = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        collect(PAGE_ASSET, page(), todo);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (found.containsKey(name)) {
                continue;
            }
            Response r = given().when().get("/dashboard/" + name);
            assertEquals(200, r.statusCode(), name);
            found.put(name, r.asString());
            if (name.endsWith(".js")) {
                collect(IMPORT, r.asString(), todo);
            }
        }
        return found;
    }

    private static Map<String, String> scripts() {
        Map<String, String> scripts = new LinkedHashMap<>(assets());
        scripts.keySet().removeIf(name -> !name.endsWith(".js"));
        return scripts;
    }

    private static void collect(Pattern pattern, String text, Deque<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1).replaceFirst("^\\./", ""));
        }
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40));
    }
}
