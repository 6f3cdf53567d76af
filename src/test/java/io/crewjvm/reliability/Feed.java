package io.crewjvm.reliability;

import io.crewjvm.support.faults.Workload;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks created in the background at a steady rate, straight at the service, until closed: load that lasts as
 * long as a fault does, whatever the throughput of the machine.
 */
final class Feed implements AutoCloseable {

    private static final int TICKS_PER_SECOND = 5;

    private final ScheduledExecutorService creator = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger created = new AtomicInteger();

    Feed(Workload load, URI service, int perSecond) {
        int perTick = Math.max(1, perSecond / TICKS_PER_SECOND);
        creator.scheduleAtFixedRate(() -> {
            try {
                load.createTasks(service, perTick);
                created.addAndGet(perTick);
            } catch (IOException | RuntimeException refusedDuringAnOutage) {
                // the next tick tries again; a test counts the tasks in the database, not here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    /** Tasks created so far (answered 200). */
    int created() {
        return created.get();
    }

    /** Stops creating; the tasks created so far are all there is. */
    @Override
    public void close() throws InterruptedException {
        creator.shutdown();
        creator.awaitTermination(30, TimeUnit.SECONDS);
    }
}
