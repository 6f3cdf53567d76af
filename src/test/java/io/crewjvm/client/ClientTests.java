package io.crewjvm.client;

import static io.crewjvm.support.Api.get;

import java.net.URI;
import java.time.Duration;

/** Shared steps of the tests that run the worker client against the service. */
final class ClientTests {

    private ClientTests() {
    }

    /** Options for a test: quick retries, a short long-poll so that groups stop quickly. */
    static WorkerOptions options(URI url, TaskListener listener) {
        return WorkerOptions.defaults().withUrl(url).withWaitSeconds(2)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withShutdownTimeout(Duration.ofSeconds(10))
                .withListener(listener);
    }

    static String groupStatus(String groupId) {
        return get("/api/v1/task_group/" + groupId).then().statusCode(200).extract().path("status");
    }
}
