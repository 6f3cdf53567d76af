package io.crewjvm.worker;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Long-polling acquirers parked per channel until a task of their channel may be ready, or a timeout. */
@ApplicationScoped
public class Waiters {

    /** One channel's parking spot; the generation tells a waiter whether a wake-up came while it was away. */
    private static final class Spot {
        final ReentrantLock lock = new ReentrantLock();
        final Condition ready = lock.newCondition();
        long generation;
    }

    private final ConcurrentMap<String, Spot> spots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Shutting down: parked requests return now (empty-handed) instead of holding up the grace period. */
    void close(@Observes ShutdownEvent event) {
        closed = true;
        wakeAll();
    }

    public boolean isClosed() {
        return closed;
    }

    /** The current generation of a channel: read it before trying to acquire, then {@link #await} with it. */
    public long generation(String channel) {
        Spot spot = spot(channel);
        spot.lock.lock();
        try {
            return spot.generation;
        } finally {
            spot.lock.unlock();
        }
    }

    /** Parks until the channel is woken after {@code seen}, or the timeout passes. */
    public void await(String channel, long seen, long timeoutMillis) throws InterruptedException {
        Spot spot = spot(channel);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        spot.lock.lock();
        try {
            long left;
            while (!closed && spot.generation == seen && (left = deadline - System.nanoTime()) > 0) {
                spot.ready.awaitNanos(left);
            }
        } finally {
            spot.lock.unlock();
        }
    }

    public void wake(String channel) {
        Spot spot = spots.get(channel);
        if (spot != null) {
            signal(spot);
        }
    }

    public void wakeAll() {
        spots.values().forEach(Waiters::signal);
    }

    private static void signal(Spot spot) {
        spot.lock.lock();
        try {
            spot.generation++;
            spot.ready.signalAll();
        } finally {
            spot.lock.unlock();
        }
    }

    private Spot spot(String channel) {
        return spots.computeIfAbsent(channel, c -> new Spot());
    }
}
