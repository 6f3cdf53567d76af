package io.crewjvm.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the OpenAPI document with tokens configured, so that no endpoint is forgotten: without
 * a token each answers 401, with a worker token each that is not the worker protocol or a task read answers 403,
 * and with an admin token none refuses. Only the health check is open (the landing page is a static file).
 */
@QuarkusTest
@TestProfile(TokensConfigured.class)
class OpenApiWalkTest {

    /** What a worker token may call: the worker protocol and reading tasks. */
    private static final Set<String> WORKER_OPERATIONS = Set.of(
            "POST /api/v1/channel/{channel}/acquire", "POST /api/v1/channel/{channel}/acquire_batch",
            "POST /api/v1/task/{id}/release", "POST /api/v1/task/{id}/heartbeat", "POST /api/v1/tasks/release",
            "GET /api/v1/task/{id}", "GET /api/v1/task/{id}/attempts");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    record Operation(String method, String template, String path) {
        String name() {
            return method + " " + template;
        }
    }

    @Test
    void every_documented_operation_needs_a_token_and_worker_tokens_only_reach_the_worker_protocol() {
        List<Operation> operations = operations();
        assertTrue(operations.size() >= 40, "the document lists every operation: " + operations.size());
        List<String> wrong = new ArrayList<>();
        int open = 0;
        int workerOnes = 0;
        for (Operation op : operations) {
            boolean isOpen = OpenApiSecurity.OPEN_PATHS.contains(op.template());
            int anonymous = call(given(), op).statusCode();
            if (isOpen) {
                open++;
                expect(wrong, op, "no token", anonymous, s -> s < 400 || s == 503);
                continue;
            }
            expect(wrong, op, "no token", anonymous, s -> s == 401);
            Response asWorker = call(given().header("Authorization", "Bearer " + TokensConfigured.WORKER), op);
            if (WORKER_OPERATIONS.contains(op.name())) {
                workerOnes++;
                expect(wrong, op, "worker token", asWorker.statusCode(), s -> s != 401 && s != 403);
            } else {
                expect(wrong, op, "worker token", asWorker.statusCode(), s -> s == 403);
                assertEquals("application/json", asWorker.contentType(), op.name() + ": 403 in JSON");
            }
            Response asAdmin = call(given().header("Authorization", "Bearer " + TokensConfigured.ADMIN), op);
            expect(wrong, op, "admin token", asAdmin.statusCode(), s -> s != 401 && s != 403 && s < 500);
        }
        assertEquals(List.of(), wrong);
        assertEquals(1, open, "the open operation is documented: GET /healthz");
        assertEquals(WORKER_OPERATIONS.size(), workerOnes, "every worker operation is documented");
    }

    private static void expect(List<String> wrong, Operation op, String as, int status,
                               java.util.function.IntPredicate ok) {
        if (!ok.test(status)) {
            wrong.add(op.name() + " with " + as + ": " + status);
        }
    }

    private static Response call(RequestSpecification request, Operation op) {
        RequestSpecification spec = request.contentType("application/json");
        if (!op.method().equals("GET") && !op.method().equals("DELETE")) {
            spec = spec.body("{}");
        }
        return spec.when().request(op.method(), op.path());
    }

    /** Every operation of the document, with its path parameters filled in (an enum's first value, else a dummy). */
    private static List<Operation> operations() {
        Map<String, Map<String, Map<String, Object>>> paths = given().accept("application/json").when()
                .get("/q/openapi").then().statusCode(200).extract().jsonPath().getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((template, methods) -> methods.forEach((method, operation) -> {
            if (method.equals("parameters")) {
                return;
            }
            operations.add(new Operation(method.toUpperCase(), template, fill(template, operation)));
        }));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static String fill(String template, Map<String, Object> operation) {
        Matcher m = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = "000000000000000000000000";
            for (Map<String, Object> parameter : (List<Map<String, Object>>) operation.getOrDefault("parameters",
                    List.of())) {
                Map<String, Object> schema = (Map<String, Object>) parameter.get("schema");
                if (m.group(1).equals(parameter.get("name")) && schema != null && schema.get("enum") != null) {
                    value = String.valueOf(((List<Object>) schema.get("enum")).get(0));
                }
            }
            m.appendReplacement(path, value);
        }
        m.appendTail(path);
        return path.toString();
    }
}
