import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk creation side by side: in each round, every service gets 20 bulk creations of 1,000 tasks
 * (POST /api/v1/task_group/{id}/tasks/bulk, its answer read whole) from one JDK HttpClient, one after another, and
 * the mean milliseconds per creation are reported. A first round warms the services up and is not counted; the last
 * lines are the medians per service.
 *   java bench/BulkCreateCompare.java ROUNDS URL [URL ...]
 */
public class BulkCreateCompare {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern ID = Pattern.compile("\"_id\"\\s*:\\s*\"([0-9a-f]{24})\"");
    private static final int CREATIONS = 20;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        StringBuilder tasks = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < 1000; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i)
                    .append("\",\"channel\":\"bulk\",\"input\":{\"n\":").append(i).append("}}");
        }
        String body = tasks.append("]}").toString();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = -1; round < rounds; round++) {
            for (int s = 1; s < args.length; s++) {
                Matcher group = ID.matcher(post(args[s] + "/api/v1/task_groups", "{\"name\":\"bulk\"}"));
                if (!group.find()) {
                    throw new IllegalStateException("no group created at " + args[s]);
                }
                long start = System.nanoTime();
                for (int i = 0; i < CREATIONS; i++) {
                    post(args[s] + "/api/v1/task_group/" + group.group(1) + "/tasks/bulk", body);
                }
                double ms = (System.nanoTime() - start) / 1e6 / CREATIONS;
                System.out.printf("%s round %d: %.1f ms per creation of 1,000 tasks%n", args[s], round, ms);
                if (round >= 0) {
                    results.computeIfAbsent(args[s], k -> new ArrayList<>()).add(ms);
                }
            }
        }
        results.forEach((base, ms) -> {
            Collections.sort(ms);
            System.out.printf("median %s: %.1f ms (rounds %.1f-%.1f)%n", base, ms.get(ms.size() / 2), ms.get(0),
                    ms.get(ms.size() - 1));
        });
    }

    private static String post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
