package io.crewjvm.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Runs workers, each on as many threads as its concurrency; every thread is a worker of its own for the service
 * (its own worker id).
 *
 * <p>{@link #shutdown()} (or SIGTERM/SIGINT under {@link #runUntilSignal()}) stops taking tasks at once, lets
 * the tasks in hand finish and releases them, for up to the shutdown timeout; a task still running then is
 * interrupted and released as failed, so that it runs again soon instead of when its lease expires.
 */
public final class WorkerGroup implements AutoCloseable {

    /** After the shutdown timeout, the time left to deliver the releases still under way. */
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(5);

    private final WorkerOptions options;
    private final CrewClient client;
    private final Heartbeats heartbeats;
    private final Releaser releaser;
    private final String token = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    private final List<WorkerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Instant hardStop = Instant.MAX;
    private boolean started;
    private boolean stopped;

    public WorkerGroup(WorkerOptions options) {
        this.options = options;
        this.client = new CrewClient(options.url(), options.requestTimeout());
        this.heartbeats = new Heartbeats(client, options.leaseSeconds(), options.listener());
        this.releaser = new Releaser(client, options, () -> hardStop);
    }

    public WorkerGroup add(Worker worker) {
        return add(worker, 1);
    }

    /** Adds a worker that runs up to {@code concurrency} tasks at once. */
    public synchronized WorkerGroup add(Worker worker, int concurrency) {
        if (started) {
            throw new IllegalStateException("Add workers before start()");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        String prefix = worker.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "-" + token;
        for (int i = 1; i <= concurrency; i++) {
            String workerId = concurrency == 1 ? prefix : prefix + "-" + i;
            loops.add(new WorkerLoop(worker, workerId, this, client, releaser, heartbeats));
        }
        return this;
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (WorkerLoop loop : loops) {
            // Daemon threads: an execution that ignores the shutdown's interrupt does not keep the JVM alive.
            Thread thread = new Thread(loop, "crew-" + loop.workerId);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Starts, waits for SIGTERM or SIGINT, then shuts down gracefully and returns, so that {@code main} ends with
     * exit code 0. A second signal during the shutdown exits at once (code 1).
     */
    public void runUntilSignal() throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (signalled.getCount() == 0) {
                    Runtime.getRuntime().halt(1);
                }
                signalled.countDown();
            });
        }
        start();
        signalled.await();
        shutdown();
    }

    /** Stops taking tasks, finishes or releases the tasks in hand (see the class comment); idempotent. */
    public void shutdown() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        Instant deadline = Instant.now().plus(options.shutdownTimeout());
        hardStop = deadline.plus(RELEASE_GRACE);
        stopping.countDown();
        loops.forEach(WorkerLoop::cancelAcquire);
        joinUntil(deadline);
        for (InFlight flight : List.copyOf(inFlight)) {
            if (flight.claim()) {
                flight.thread.interrupt();
                Released outcome = releaseUnfinished(flight);
                options.listener().released(flight.workerId, flight.task, outcome, flight.took());
            }
        }
        // Loops still executing a task given up above are not waited for: they are daemon threads.
        try {
            while (loops.stream().anyMatch(WorkerLoop::isReleasing) && Instant.now().isBefore(hardStop)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.close();
    }

    @Override
    public void close() {
        shutdown();
    }

    private Released releaseUnfinished(InFlight flight) {
        TaskError unfinished = new TaskError("The worker shut down before the task finished ("
                + options.shutdownTimeout().toMillis() + " ms after it was asked to stop)");
        try {
            return releaser.release(flight, ReleaseBody.failure(flight.workerId, flight.task, unfinished));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Released.dropped("the shutdown was interrupted");
        }
    }

    private void joinUntil(Instant until) {
        for (Thread thread : threads) {
            long left = Duration.between(Instant.now(), until).toMillis();
            if (left <= 0) {
                return;
            }
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    WorkerOptions options() {
        return options;
    }

    boolean isStopping() {
        return stopping.getCount() == 0;
    }

    /** Sleeps, or less when the group starts to stop. */
    void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void register(InFlight flight) {
        inFlight.add(flight);
    }

    void unregister(InFlight flight) {
        inFlight.remove(flight);
    }
}
