package io.crewjvm.workgroup;

import static io.crewjvm.support.Api.createGroup;
import static io.crewjvm.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.support.Http;
import io.crewjvm.support.Invariants;
import io.crewjvm.support.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Duplicate merge, workgroup delays and group pause while many workers poll. */
@QuarkusTest
class ControlsConcurrencyTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    /** One acquire as a polling worker saw it: when it was sent and what it got. */
    private record Poll(long sentNanos, String taskId, String workgroup, String groupId) {
    }

    private List<Poll> pollWhile(Http http, String channel, int workers, AtomicBoolean running) throws Exception {
        Queue<Poll> polls = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String workerId = "poller-" + w;
            futures.add(pool.submit(() -> {
                while (running.get()) {
                    long sent = System.nanoTime();
                    Http.Reply reply = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", workerId));
                    assertEquals(200, reply.status(), reply.json().toString());
                    JsonNode task = reply.json().get("task");
                    if (task != null && !task.isNull()) {
                        polls.add(new Poll(sent, task.get("_id").asText(), task.get("workgroup").asText(null),
                                task.get("taskGroupId").asText()));
                        http.post("api/v1/task/" + task.get("_id").asText() + "/release",
                                Map.of("workerId", workerId, "output", "ok"));
                    }
                }
                return null;
            }));
        }
        return new ArrayList<>() {
            {
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES);
                }
                pool.shutdown();
                addAll(polls);
            }
        };
    }

    @Test
    void twenty_duplicates_across_two_groups_run_once_and_all_share_the_output() throws Exception {
        Http http = new Http(base);
        String channel = unique("dups");
        String key = unique("key");
        List<String> groups = List.of(createGroup(unique("g1")), createGroup(unique("g2")));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, http.post("api/v1/task_group/" + groups.get(i % 2) + "/tasks",
                    Map.of("name", "dup" + i, "channel", channel, "key", key)).status());
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<JsonNode>> acquires = new ArrayList<>();
        for (int w = 0; w < 20; w++) {
            String workerId = "racer-" + w;
            acquires.add(pool.submit(() -> {
                gate.await();
                Http.Reply reply = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", workerId));
                assertEquals(200, reply.status());
                return reply.json().get("task");
            }));
        }
        gate.countDown();
        List<JsonNode> won = new ArrayList<>();
        for (Future<JsonNode> acquire : acquires) {
            JsonNode task = acquire.get(1, TimeUnit.MINUTES);
            if (task != null && !task.isNull()) {
                won.add(task);
            }
        }
        pool.shutdown();
        assertEquals(1, won.size(), "exactly one acquire succeeds");
        JsonNode winner = won.get(0);
        assertEquals(200, http.post("api/v1/task/" + winner.get("_id").asText() + "/release",
                Map.of("workerId", winner.get("assignedTo").asText(), "output", Map.of("shared", key))).status());
        assertEquals(20, sql.count("SELECT count(*) FROM task WHERE channel = ? AND key = ? AND state = 'complete' "
                + "AND output->>'shared' = ?", channel, key, key));
        assertEquals(1, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.channel = ? AND a.outcome = 'completed'", channel));
        assertEquals(19, sql.count("SELECT count(*) FROM task_attempt a JOIN task t ON t.id = a.task_id "
                + "WHERE t.channel = ? AND a.outcome = 'merged'", channel));
        Invariants.assertAll(sql);
    }

    @Test
    void a_failed_duplicate_costs_only_its_own_attempt() {
        Http http = new Http(base);
        String channel = unique("dups");
        String group = createGroup(unique("g"));
        for (int i = 0; i < 3; i++) {
            http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "d" + i, "channel", channel,
                    "key", "k", "errorDelayInSeconds", 0));
        }
        JsonNode task = http.post("api/v1/channel/" + channel + "/acquire", Map.of("workerId", "w")).json().get("task");
        http.post("api/v1/task/" + task.get("_id").asText() + "/release", Map.of("workerId", "w", "error", "x"));
        assertEquals(1, sql.count("SELECT count(*) FROM task WHERE channel = ? AND remaining_attempts = 4", channel));
        assertEquals(2, sql.count("SELECT count(*) FROM task WHERE channel = ? AND remaining_attempts = 5 "
                + "AND state = 'ready' AND errors::text = '[]'", channel));
    }

    @Test
    void a_workgroup_delay_set_while_16_workers_poll_holds_every_task_of_it() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("g"));
        String wg = unique("wg");
        List<String> channels = List.of(unique("c1"), unique("c2"));
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channels.get(i % 2), "workgroup", wg));
        }
        assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk", Map.of("tasks", tasks)).status());
        String trigger = http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "trigger",
                "channel", unique("trigger"), "workgroup", wg, "priority", 9)).json().get("_id").asText();
        String triggerChannel = sql.text("SELECT channel FROM task WHERE id = ?", trigger);
        http.post("api/v1/channel/" + triggerChannel + "/acquire", Map.of("workerId", "limiter"));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong delaySetAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<Poll>>> pollers = new ArrayList<>();
        for (String channel : channels) {
            pollers.add(pool.submit(() -> pollWhile(http, channel, 8, running)));
        }
        Thread.sleep(200);
        assertEquals(200, http.post("api/v1/task/" + trigger + "/release", Map.of("workerId", "limiter",
                "error", "429", "workgroupDelayInSeconds", 3)).status());
        delaySetAt.set(System.nanoTime());
        long leftWhenDelayed = sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state <> 'complete'", group);
        JsonNode createdLater = http.post("api/v1/task_group/" + group + "/tasks", Map.of("name", "later",
                "channel", channels.get(0), "workgroup", wg)).json();
        Thread.sleep(2000);
        long windowEnd = System.nanoTime();
        Thread.sleep(3000);
        running.set(false);
        List<Poll> polls = new ArrayList<>();
        for (Future<List<Poll>> poller : pollers) {
            polls.addAll(poller.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();
        // A poll sent once the delay was committed must not have leased a task before the delay ended on the
        // database clock. (Its send time alone says nothing of when it ran: on a busy machine a request can wait
        // in the service past the end of the delay.)
        String[] sentDuringDelay = polls.stream().filter(p -> p.sentNanos() > delaySetAt.get())
                .map(Poll::taskId).toArray(String[]::new);
        assertTrue(leftWhenDelayed > 100, "work was left when the delay was set: " + leftWhenDelayed);
        assertEquals(0, sql.count("SELECT count(*) FROM task_attempt WHERE task_id = ANY(?) "
                + "AND acquired_at < (SELECT paused_until FROM workgroup WHERE name = ?)", sentDuringDelay, wg),
                "no task of the workgroup acquired while its delay lasts");
        assertTrue(polls.stream().filter(p -> p.sentNanos() > windowEnd).count() > 10, "work resumed after it");
        assertEquals("scheduled", createdLater.get("state").asText(), "a task created during the delay is held");
        assertEquals(5, sql.count("SELECT remaining_attempts FROM task WHERE id = ?", trigger),
                "the rate-limited release consumed no attempt");
        Invariants.assertAll(sql);
    }

    @Test
    void no_task_is_acquired_after_a_group_pause_committed() throws Exception {
        Http http = new Http(base);
        String group = createGroup(unique("g"));
        String channel = unique("c");
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Map.of("name", "t" + i, "channel", channel));
        }
        for (int from = 0; from < tasks.size(); from += 1000) {
            assertEquals(200, http.post("api/v1/task_group/" + group + "/tasks/bulk",
                    Map.of("tasks", tasks.subList(from, from + 1000))).status());
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<List<Poll>> poller = pool.submit(() -> pollWhile(http, channel, 16, running));
        Thread.sleep(500);
        assertEquals(200, http.post("api/v1/task_group/" + group + "/pause", Map.of()).status());
        long pausedAt = System.nanoTime();
        Thread.sleep(1500);
        running.set(false);
        List<Poll> polls = poller.get(2, TimeUnit.MINUTES);
        pool.shutdown();
        assertTrue(polls.stream().anyMatch(p -> p.sentNanos() < pausedAt), "workers were busy before the pause");
        assertEquals(0, polls.stream().filter(p -> p.sentNanos() > pausedAt).count(),
                "no acquire sent after the pause returned got a task");
        assertTrue(sql.count("SELECT count(*) FROM task WHERE group_id = ? AND state = 'ready'", group) > 0);
        Invariants.assertAll(sql);
    }
}
