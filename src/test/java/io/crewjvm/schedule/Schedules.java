package io.crewjvm.schedule;

import static io.crewjvm.support.Api.get;
import static io.crewjvm.support.Api.post;

import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Schedules as a user creates and reads them over HTTP. */
final class Schedules {

    private Schedules() {
    }

    /** A template of two tasks, b below a, in the channel. */
    static Map<String, Object> template(String channel) {
        return Map.of("group", Map.of("name", "nightly {fireTime}"),
                "tasks", List.of(Map.of("_id", "a", "name", "A", "channel", channel, "input", Map.of("n", 1)),
                        Map.of("_id", "b", "name", "B", "channel", channel, "parentIds", List.of("a"))));
    }

    /** A schedule body: the fields given over the defaults (a name, every hour, the two-task template). */
    static Map<String, Object> body(String name, String channel, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "everySeconds", 3600,
                "template", template(channel)));
        if (fields.containsKey("cron")) {
            body.remove("everySeconds");
        }
        body.putAll(fields);
        return body;
    }

    static JsonPath create(Map<String, Object> body) {
        return post("/api/v1/schedules", body).then().statusCode(200).extract().jsonPath();
    }

    static List<Map<String, Object>> runs(String id) {
        return get("/api/v1/schedule/" + id + "/runs?limit=0").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }
}
