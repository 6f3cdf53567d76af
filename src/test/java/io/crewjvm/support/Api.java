package io.crewjvm.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Crew's REST API as a worker or a user calls it, over real HTTP. */
public final class Api {

    private Api() {
    }

    /** A name no other test uses: tests share one database and isolate themselves by channel and group. */
    public static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** POSTs a JSON body, or no body at all when it is null. */
    public static Response post(String path, Object body) {
        if (body == null) {
            return given().when().post(path);
        }
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    public static Response put(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().put(path);
    }

    public static Response delete(String path) {
        return given().when().delete(path);
    }

    public static Response get(String path) {
        return given().when().get(path);
    }

    public static String createGroup(String name) {
        return post("/api/v1/task_groups", Map.of("name", name)).then().statusCode(200).extract().path("_id");
    }

    public static String createGroup(String name, boolean paused) {
        return post("/api/v1/task_groups", Map.of("name", name, "isPaused", paused)).then().statusCode(200)
                .extract().path("_id");
    }

    public static JsonPath createTask(String groupId, Map<String, Object> task) {
        return post("/api/v1/task_group/" + groupId + "/tasks", task).then().statusCode(200).extract().jsonPath();
    }

    public static String createTask(String groupId, String name, String channel) {
        return createTask(groupId, Map.of("name", name, "channel", channel)).getString("_id");
    }

    /** A task with fields besides its name and channel (priority, parentIds, input...); its id. */
    public static String createTask(String groupId, String name, String channel, Map<String, Object> fields) {
        Map<String, Object> task = new HashMap<>(fields);
        task.put("name", name);
        task.put("channel", channel);
        return createTask(groupId, task).getString("_id");
    }

    public static JsonPath task(String id) {
        return get("/api/v1/task/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static List<Map<String, Object>> tasksOfGroup(String groupId) {
        return get("/api/v1/task_group/" + groupId + "/tasks").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** Acquires in a channel; the response's JSON ({@code task} is null when nothing is ready). */
    public static JsonPath acquire(String channel, String workerId) {
        return post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", workerId)).then().statusCode(200)
                .extract().jsonPath();
    }

    /** Acquires several tasks at once; {@code body} is the request ({@code workerId}, {@code limit}...). */
    public static JsonPath acquireBatch(String channel, Map<String, Object> body) {
        return post("/api/v1/channel/" + channel + "/acquire_batch", body).then().statusCode(200).extract()
                .jsonPath();
    }

    /** Releases several tasks in one request; the response's JSON ({@code results}). */
    public static JsonPath releaseBatch(List<Map<String, Object>> releases) {
        return post("/api/v1/tasks/release", Map.of("releases", releases)).then().statusCode(200).extract()
                .jsonPath();
    }

    public static Response release(String taskId, Map<String, Object> body) {
        return post("/api/v1/task/" + taskId + "/release", body);
    }

    public static JsonPath complete(String taskId, String workerId, Object output) {
        return release(taskId, Map.of("workerId", workerId, "output", output)).then().statusCode(200).extract()
                .jsonPath();
    }
}
