package io.crewjvm.worker;

import static io.crewjvm.support.Api.acquire;
import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.createTask;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crewjvm.support.Await;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A worker that stops or dies while its acquire long-polls must not be given the next task. */
@QuarkusTest
class LongPollDisconnectTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** Whether an HTTP long-poll is parked right now (operators' deliveries wait elsewhere in the stack). */
    private static boolean httpLongPollParked() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> {
            boolean waiting = Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(Waiters.class.getName())
                    && frame.getMethodName().equals("await"));
            boolean fromHttp = Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(LongPoll.class.getName())
                    && frame.getMethodName().startsWith("lambda$acquireAsync"));
            return waiting && fromHttp;
        });
    }

    @Test
    void a_long_poll_whose_client_closed_the_connection_stops_waiting_and_the_task_goes_to_a_live_worker()
            throws Exception {
        String channel = unique("gone");
        String body = "{\"workerId\":\"gone-worker\",\"waitSeconds\":30}";
        try (Socket gone = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = gone.getOutputStream();
            out.write(("POST /api/v1/channel/" + channel + "/acquire HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Await.until("the acquire is parked", Duration.ofSeconds(20), LongPollDisconnectTest::httpLongPollParked);
        }
        // Before, it stayed parked for its 30 s and leased the next task of the channel to a worker that was gone.
        Await.until("the parked acquire noticed its client left", Duration.ofSeconds(10),
                () -> !httpLongPollParked());
        String task = createTask(createGroup(unique("gone")), "next", channel);
        assertEquals(task, acquire(channel, "live-worker").getString("task._id"));
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt WHERE worker_id = 'gone-worker'"));
    }
}
