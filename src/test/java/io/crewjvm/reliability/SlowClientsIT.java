package io.crewjvm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crewjvm.support.ServiceProcess;
import io.crewjvm.support.Sql;
import io.crewjvm.support.faults.JavaWorkers;
import io.crewjvm.support.faults.PostgresServer;
import io.crewjvm.support.faults.SlowClients;
import io.crewjvm.support.faults.Workload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 16 of reliability.md: 500 clients send their request headers a byte a second beside 8 working workers
 * (the Java client). The workers keep at least 0.8 of the throughput they have without them, measured in the same
 * run before and after; the service closes every slow connection by its write-idle timeout
 * ({@code CREW_HTTP_WRITE_IDLE_TIMEOUT}: 60 s, its default, in the full profile; shorter in the fast one), within a
 * few seconds of it; a long-poll of half the timeout beside them (30 s in the full profile) is answered, not cut.
 */
class SlowClientsIT {

    private static final String CHANNEL = "slow-clients";
    private static final int SLOW_CLIENTS = 500;
    private static final int WORKERS = 8;
    /** How late a close may come after the timeout: the slow clients look once a second, the machine is shared. */
    private static final double SLACK_SECONDS = 5;
    /** Ready tasks kept in the channel while the throughput is measured, topped up when fewer. */
    private static final int BACKLOG = 1500;

    @Test
    void workers_keep_their_throughput_beside_slow_clients_and_the_service_closes_them() throws Exception {
        Duration writeIdle = Sizes.WRITE_IDLE;
        assertTrue(Sizes.MEASURE.plusSeconds(2).compareTo(writeIdle) < 0, "a window shorter than the timeout");
        try (PostgresServer db = PostgresServer.start();
             ServiceProcess service = ServiceProcess.start("slow-clients", db.jdbcUrl(),
                     Map.of("CREW_RECLAIM_INTERVAL", Settled.SWEEP.toSeconds() + "s",
                             "CREW_HTTP_WRITE_IDLE_TIMEOUT", writeIdle.toSeconds() + "s"));
             Workload load = new Workload(CHANNEL, 30)) {
            Sql sql = Sql.connect(db.jdbcUrl(), "postgres", "postgres");
            ScheduledExecutorService topUp = Executors.newSingleThreadScheduledExecutor();
            topUp.scheduleWithFixedDelay(() -> {
                try {
                    if (sql.count("SELECT count(*) FROM task WHERE channel = ? AND state <> 'complete'", CHANNEL)
                            < BACKLOG) {
                        load.createTasks(service.base(), BACKLOG);
                    }
                } catch (IOException | RuntimeException e) {
                    // the next round tries again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            try (JavaWorkers workers = new JavaWorkers(service.base(), CHANNEL, WORKERS, Duration.ofMillis(10),
                    o -> o.withWaitSeconds(2))) {
                load.await(() -> workers.completed() >= 200, Duration.ofMinutes(2), "the workers under way");
                // One window more to warm up: the first compilations of the service's hot paths would favour a later
                // window over this one.
                throughput(workers);
                double alone = throughput(workers);

                double beside;
                CompletableFuture<HttpResponse<String>> longPoll;
                CompletableFuture<Double> longPollTook;
                int longPollWait = (int) Math.min(30, writeIdle.toSeconds() / 2);
                SlowClients slow = new SlowClients(service.base(), SLOW_CLIENTS);
                try {
                    long longPollStart = System.nanoTime();
                    longPoll = longPoll(service.base(), longPollWait);
                    longPollTook = longPoll.thenApply(answer -> (System.nanoTime() - longPollStart) / 1e9);
                    beside = throughput(workers);
                    assertEquals(0, slow.closedByService(), "slow connections closed before the timeout");
                    load.await(() -> slow.closedByService() == SLOW_CLIENTS,
                            writeIdle.plusSeconds((long) SLACK_SECONDS + 30), "every slow connection closed");
                } finally {
                    slow.close();
                }
                HttpResponse<String> longPollAnswer = longPoll.get(1, TimeUnit.MINUTES);
                double longPollSeconds = longPollTook.get();
                double aloneAgain = throughput(workers);
                topUp.shutdownNow();
                topUp.awaitTermination(10, TimeUnit.SECONDS);

                double without = (alone + aloneAgain) / 2;
                assertTrue(beside >= 0.8 * without, "beside slow clients " + beside + " tasks/s, without "
                        + alone + " before and " + aloneAgain + " after");
                assertTrue(slow.earliestCloseSeconds() >= writeIdle.toSeconds() - 1,
                        "a slow connection closed after " + slow.earliestCloseSeconds() + " s, before the timeout");
                assertTrue(slow.latestCloseSeconds() <= writeIdle.toSeconds() + SLACK_SECONDS,
                        "the last slow connection closed after " + slow.latestCloseSeconds() + " s");
                assertEquals(200, longPollAnswer.statusCode(), longPollAnswer.body());
                assertTrue(longPollAnswer.body().matches("(?s).*\"task\"\\s*:\\s*null.*"), longPollAnswer.body());
                assertTrue(longPollSeconds >= longPollWait - 0.5, "the long-poll answered after " + longPollSeconds
                        + " s");
                System.out.printf("[reliability] slow clients: %d workers, %.0f tasks/s without slow clients "
                        + "(%.0f before, %.0f after), %.0f beside %d of them (%.2fx); write-idle timeout %d s: "
                        + "slow connections closed %.1f-%.1f s after they opened; a %d s long-poll beside them "
                        + "answered after %.1f s%n", WORKERS, without, alone, aloneAgain, beside, SLOW_CLIENTS,
                        beside / without, writeIdle.toSeconds(), slow.earliestCloseSeconds(),
                        slow.latestCloseSeconds(), longPollWait, longPollSeconds);
                Settled.assertSettled(sql, CHANNEL, load, workers, Duration.ofMinutes(3));
            } finally {
                topUp.shutdownNow();
            }
        }
    }

    /** An acquire on an empty channel, waiting up to {@code seconds}. */
    private static CompletableFuture<HttpResponse<String>> longPoll(URI service, int seconds) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(HttpRequest.newBuilder(
                service.resolve("api/v1/channel/slow-clients-empty/acquire")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"long-poll\",\"waitSeconds\":" + seconds + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Tasks the workers complete per second over one measuring window. */
    private static double throughput(JavaWorkers workers) throws InterruptedException {
        long from = workers.completed();
        long start = System.nanoTime();
        Thread.sleep(Sizes.MEASURE.toMillis());
        return (workers.completed() - from) / ((System.nanoTime() - start) / 1e9);
    }
}
