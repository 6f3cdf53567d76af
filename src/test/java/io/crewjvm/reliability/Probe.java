package io.crewjvm.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * A client that sends one request after another (a new one every 200 ms at most, none before the last answer)
 * and keeps, per status, how many answers came and the slowest: how long a request waited for its answer during
 * a fault. -1 is no answer within a minute.
 */
final class Probe implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private final DoubleAccumulator slowest = new DoubleAccumulator(Math::max, 0);
    private final Thread thread;

    Probe(URI uri) {
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                int status = send(uri);
                if (Thread.currentThread().isInterrupted()) {
                    return; // closed: the request cut short is no answer of the service's
                }
                slowest.accumulate((System.nanoTime() - start) / 1e9);
                synchronized (statuses) {
                    statuses.merge(status, 1L, Long::sum);
                }
                try {
                    Thread.sleep(Math.max(0, 200 - (System.nanoTime() - start) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "probe");
        thread.setDaemon(true);
        thread.start();
    }

    private int send(URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Forgets what was seen so far: what follows is a new phase. */
    void reset() {
        synchronized (statuses) {
            statuses.clear();
            slowest.reset();
        }
    }

    Map<Integer, Long> statuses() {
        synchronized (statuses) {
            return new TreeMap<>(statuses);
        }
    }

    /** Seconds the slowest request waited for its answer since the last reset. */
    double slowest() {
        return slowest.get();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(70_000);
    }
}
