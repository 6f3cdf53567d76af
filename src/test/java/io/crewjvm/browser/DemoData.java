package io.crewjvm.browser;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.complete;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.post;
import static io.crewjvm.support.Api.put;
import static io.crewjvm.support.Api.release;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's demo: an ad campaign half way through, with tasks in every state, a workgroup under its app with a
 * cap and budgets, that workgroup's pause, an operator.
 */
final class DemoData {

    private DemoData() {
    }

    /** Creates and partly runs the campaign; its group id. */
    static String campaign() {
        String nightly = createGroup("Nightly export");
        post("/api/v1/task_group/" + nightly + "/tasks/bulk", Map.of("tasks", List.of(
                task("Query orders", "export", "query", List.of()),
                task("Upload to bucket", "export", "upload", List.of("query"))))).then().statusCode(200);
        run("export", 2);
        String onboarding = createGroup("Onboarding emails", true);
        post("/api/v1/task_group/" + onboarding + "/tasks/bulk", Map.of("tasks", List.of(
                task("Welcome email", "email", "welcome", List.of()),
                task("Day 3 tips", "email", "tips", List.of("welcome"))))).then().statusCode(200);
        String group = createGroup("Spring campaign: Berlin, Paris, Madrid");
        List<Map<String, Object>> tasks = new ArrayList<>();
        tasks.add(task("Create campaign", "facebook.campaign", "campaign", List.of()));
        tasks.add(task("Check tracking pixel", "qa", "pixel", List.of()));
        tasks.add(task("Export audience", "facebook.audience", "audience", List.of("campaign")));
        List<String> ads = new ArrayList<>();
        for (String city : List.of("Berlin", "Paris", "Madrid")) {
            tasks.add(task("Ad set " + city, "facebook.adset", city, List.of("campaign")));
            for (String kind : List.of("video", "carousel")) {
                Map<String, Object> ad = task("Ad " + city + " " + kind, "facebook.ad", city + kind, List.of(city));
                ad.put("workgroup", "facebook-ads");
                if (city.equals("Paris") && kind.equals("carousel")) {
                    ad.put("remainingAttempts", 1);
                }
                tasks.add(ad);
                ads.add(city + kind);
            }
        }
        tasks.add(task("Review ads", "qa", "review", ads));
        tasks.add(task("Post to Slack", "slack", "slack", List.of("review")));
        post("/api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).then().statusCode(200);

        run("facebook.campaign", 1);
        run("qa", 1);
        run("facebook.adset", 3);
        run("facebook.ad", 3); // Berlin video and carousel, Paris video
        String paris = acquire("facebook.ad", "demo-worker").getString("task._id");
        release(paris, Map.of("workerId", "demo-worker", "error", "Ad rejected: image text over 20 %")).then()
                .statusCode(200);
        acquire("facebook.ad", "demo-worker"); // Madrid video: running
        put("/api/v1/workgroup/facebook-app", Map.of("rate", Map.of("limit", 4800, "periodSeconds", 86400)))
                .then().statusCode(200);
        put("/api/v1/workgroup/facebook-ads", Map.of("maxRunning", 1, "rate", Map.of("limit", 200,
                "periodSeconds", 3600, "burst", 50), "parent", "facebook-app")).then().statusCode(200);
        post("/api/v1/workgroup/facebook-ads/pause", Map.of("seconds", 600,
                "reason", "Rate limited: (#17) User request limit reached")).then().statusCode(200);
        post("/api/v1/operators", Map.of("channel", "slack", "url", "https://hooks.example.com/crew/slack",
                "isPaused", true)).then().statusCode(200);
        return group;
    }

    private static Map<String, Object> task(String name, String channel, String ref, List<String> parents) {
        Map<String, Object> task = new HashMap<>(Map.of("name", name, "channel", channel, "_child_id", ref));
        if (!parents.isEmpty()) {
            task.put("_parent_ids", parents);
        }
        return task;
    }

    private static void run(String channel, int n) {
        for (int i = 0; i < n; i++) {
            complete(acquire(channel, "demo-worker").getString("task._id"), "demo-worker", Map.of("ok", true));
        }
    }
}
