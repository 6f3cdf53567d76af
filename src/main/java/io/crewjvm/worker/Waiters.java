package io.crewjvm.worker;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Long-polling acquirers parked per channel until a task of their channel may be ready, or a timeout. A
 * notification wakes as many waiters as tasks it announces, not all of them: a herd of acquirers racing for one
 * task would cost a query each. A waiter that leases a full batch passes the wake-up on (there may be more).
 */
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

    /** Wakes up to {@code count} waiters of a channel: that many transactions made some of its tasks ready. */
    public void wake(String channel, int count) {
        Spot spot = spots.get(channel);
        if (spot == null) {
            return;
        }
        spot.lock.lock();
        try {
            spot.generation++;
            for (int i = 0; i < count; i++) {
                spot.ready.signal();
            }
        } finally {
            spot.lock.unlock();
        }
    }

    /** Wakes one more waiter of the channel, if any is parked: the caller just found the channel not drained. */
    public void passOn(String channel) {
        Spot spot = spots.get(channel);
        if (spot == null) {
            return;
        }
        spot.lock.lock();
        try {
            if (spot.lock.hasWaiters(spot.ready)) {
                spot.generation++;
                spot.ready.signal();
            }
        } finally {
            spot.lock.unlock();
        }
    }

    /** Wakes every waiter: after a gap in the notifications, or at shutdown. */
    public void wakeAll() {
        for (Spot spot : spots.values()) {
            spot.lock.lock();
            try {
                spot.generation++;
                spot.ready.signalAll();
            } finally {
                spot.lock.unlock();
            }
        }
    }

    private Spot spot(String channel) {
        return spots.computeIfAbsent(channel, c -> new Spot());
    }
}
