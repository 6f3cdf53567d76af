package io.crewjvm.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One thread of a {@link WorkerGroup}: acquire, execute, release, until the group stops. */
final class WorkerLoop implements Runnable {

    /** Interval polling: each pause after an empty acquire is spread by this fraction. */
    private static final double POLL_JITTER = 0.2;

    private final Worker worker;
    final String workerId;
    private final WorkerGroup group;
    private final WorkerOptions options;
    private final CrewClient client;
    private final Releaser releaser;
    private final Heartbeats heartbeats;
    /** Guards {@link #acquiring}: a shutdown interrupts the loop's thread only while it waits for an acquire. */
    private final Object acquireGuard = new Object();
    /** The loop's thread while it waits for an acquire's answer, else null. */
    private Thread acquiring;
    /** A result is on its way to the service: a shutdown waits for it to be delivered. */
    private volatile boolean releasing;

    WorkerLoop(Worker worker, String workerId, WorkerGroup group, CrewClient client, Releaser releaser,
               Heartbeats heartbeats) {
        this.worker = worker;
        this.workerId = workerId;
        this.group = group;
        this.options = group.options();
        this.client = client;
        this.releaser = releaser;
        this.heartbeats = heartbeats;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        while (!group.isStopping()) {
            List<LeasedTask> tasks;
            try {
                tasks = acquire();
                backoff.reset();
            } catch (InterruptedException cancelledAtShutdown) {
                continue;
            } catch (IOException | RuntimeException e) {
                if (group.isStopping()) {
                    continue; // the long-poll was cut short
                }
                options.listener().trouble(workerId, "acquire in " + worker.channel() + " failed", e);
                group.pause(backoff.next());
                continue;
            }
            if (!tasks.isEmpty()) {
                work(tasks);
            } else if (options.waitSeconds() == 0) {
                group.pause(Backoff.jittered(options.pollInterval(), POLL_JITTER));
            }
        }
    }

    boolean isReleasing() {
        return releasing;
    }

    /** Abandons a long-poll in progress (shutdown): a task it already leased is still worked on. */
    void cancelAcquire() {
        synchronized (acquireGuard) {
            if (acquiring != null) {
                acquiring.interrupt();
            }
        }
    }

    /**
     * An acquire on the loop's own thread (the JDK client's asynchronous calls cost a thread each, see CrewClient),
     * abandoned by an interrupt from {@link #cancelAcquire} while it waits, and only then.
     */
    private List<LeasedTask> acquire() throws IOException, InterruptedException {
        synchronized (acquireGuard) {
            // The shutdown interrupts the acquire it sees; one that would start after it looked does not start.
            if (group.isStopping()) {
                throw new InterruptedException("The group is stopping");
            }
            acquiring = Thread.currentThread();
        }
        try {
            return client.acquireNow(worker.channel(), workerId, options.batchSize(), options.leaseSeconds(),
                    options.waitSeconds());
        } finally {
            synchronized (acquireGuard) {
                acquiring = null;
            }
            if (group.isStopping()) {
                // An interrupt that came after the answer: it was for the call, not for the tasks it leased.
                Thread.interrupted();
            }
        }
    }

    private void work(List<LeasedTask> tasks) {
        List<InFlight> flights = new ArrayList<>();
        for (LeasedTask task : tasks) {
            InFlight flight = new InFlight(task, workerId, Thread.currentThread());
            flights.add(flight);
            group.register(flight);
            options.listener().taken(workerId, task);
            heartbeats.start(flight);
        }
        try {
            List<InFlight> done = new ArrayList<>();
            List<ObjectNode> results = new ArrayList<>();
            for (InFlight flight : flights) {
                if (flight.isClaimed()) {
                    continue; // lost, or released by the shutdown before its turn came
                }
                ObjectNode result = execute(flight);
                releasing = true;
                if (flight.claim()) {
                    done.add(flight);
                    results.add(result);
                }
            }
            Thread.interrupted(); // an interrupt meant for an execution the shutdown cut short
            report(done, done.size() == 1 ? List.of(releaser.release(done.get(0), results.get(0)))
                    : done.isEmpty() ? List.of() : releaser.releaseAll(done, results));
        } catch (InterruptedException stoppedForGood) {
            Thread.currentThread().interrupt();
        } finally {
            for (InFlight flight : flights) {
                heartbeats.stop(flight);
                group.unregister(flight);
            }
            releasing = false;
        }
    }

    private ObjectNode execute(InFlight flight) {
        TaskContext.enter(flight);
        flight.begin();
        try {
            TaskResult result = worker.execute(flight.task.input(), flight.task.parents());
            return ReleaseBody.success(workerId, flight.task, result == null ? TaskResult.empty() : result);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            return ReleaseBody.failure(workerId, flight.task, failure);
        } finally {
            flight.end();
            TaskContext.leave();
            if (flight.isLost()) {
                Thread.interrupted(); // the stop's interrupt was for this task only
            }
        }
    }

    private void report(List<InFlight> flights, List<Released> outcomes) {
        for (int i = 0; i < flights.size(); i++) {
            options.listener().released(workerId, flights.get(i).task, outcomes.get(i), flights.get(i).took());
        }
    }
}
