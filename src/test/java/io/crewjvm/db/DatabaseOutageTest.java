package io.crewjvm.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.crewjvm.support.Api;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The database failing under the service, in process: its connections terminated under load
 * ({@code pg_terminate_backend}) and its pool exhausted. Requests meanwhile get 503 with Retry-After, never 500;
 * the service recovers by itself. (Stopping PostgreSQL itself: {@code reliability/DatabaseRestartIT}.)
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.SmallPool.class)
class DatabaseOutageTest {

    /** A pool small enough to exhaust from the test, and a short wait for a connection. */
    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "6", "quarkus.datasource.jdbc.acquisition-timeout", "1s");
        }
    }

    private static final String TERMINATE_OTHERS = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            + "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

    @Inject
    Sql sql;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URI base;

    @Test
    void an_exhausted_pool_answers_503_with_retry_after_within_the_acquisition_timeout_and_recovers() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            while (true) { // every connection the pool has, until it makes us wait for one in vain
                try {
                    held.add(dataSource.getConnection());
                } catch (SQLException exhausted) {
                    break;
                }
            }
            long start = System.nanoTime();
            given().when().get("/api/v1/task_groups").then().statusCode(503).header("Retry-After", "1")
                    .body("message", containsString("database is unavailable"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "fails fast, not after minutes");
            given().contentType("application/json").body(Map.of("workerId", "w")).when()
                    .post("/api/v1/channel/" + Api.unique("c") + "/acquire").then().statusCode(503)
                    .header("Retry-After", "1");
            given().when().get("/q/health/ready").then().statusCode(503);
            given().when().get("/healthz").then().statusCode(503);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        given().when().get("/api/v1/task_groups").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void terminated_backends_under_load_cost_503s_at_most_never_a_500_and_lose_nothing() throws Exception {
        String channel = Api.unique("outage");
        String group = Api.createGroup(Api.unique("g"));
        Http http = new Http(base);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Set<String> created = ConcurrentHashMap.newKeySet();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String worker = "w" + w;
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    Http.Reply made = http.post("/api/v1/task_group/" + group + "/tasks",
                            Map.of("name", "t", "channel", channel));
                    count(statuses, made.status());
                    if (made.status() == 200) {
                        created.add(made.json().get("_id").asText());
                    }
                    Http.Reply got = http.post("/api/v1/channel/" + channel + "/acquire", Map.of("workerId", worker));
                    count(statuses, got.status());
                    if (got.status() == 200 && !got.json().get("task").isNull()) {
                        String id = got.json().get("task").get("_id").asText();
                        Http.Reply done = http.post("/api/v1/task/" + id + "/release",
                                Map.of("workerId", worker, "output", Map.of("ok", true)));
                        count(statuses, done.status());
                        if (done.status() == 200) {
                            completed.add(id);
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (int round = 0; round < 5; round++) {
                awaitMoreCompletions(completed, 20);
                assertTrue(sql.count(TERMINATE_OTHERS) > 0, "the service's backends were terminated");
            }
            awaitMoreCompletions(completed, 20); // recovered by itself, without a restart
        } finally {
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertTrue(Set.of(200, 503).containsAll(statuses.keySet()), "only 200 and 503: " + statuses);
        System.out.printf("[reliability] terminated backends: answers %s%n", statuses);
        given().when().get("/q/health/ready").then().statusCode(200);
        for (String id : created) {
            assertEquals(1, sql.count("SELECT count(*) FROM task WHERE id = ?", id), "created task lost: " + id);
        }
        for (String id : completed) {
            assertEquals("complete", sql.text("SELECT state FROM task WHERE id = ?", id), "completion lost: " + id);
        }
        Invariants.assertAll(sql, Duration.ofSeconds(1)); // the test profile's reclaim interval
    }

    private static void count(Map<Integer, AtomicInteger> statuses, int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    private static void awaitMoreCompletions(Set<String> completed, int more) throws InterruptedException {
        int target = completed.size() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completed.size() < target) {
            assertTrue(System.nanoTime() < deadline, "no progress: " + completed.size() + " of " + target);
            Thread.sleep(20);
        }
    }
}
