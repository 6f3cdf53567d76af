package io.crewjvm.support.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.DelayThrottler;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * A fault-injecting TCP proxy on 127.0.0.1 (netcrusher) between two parts of the system: it resets connections
 * (a close with linger 0 sends RST, as a broken route or a restarted middlebox does), freezes them without a
 * close (half-open: nothing is forwarded either way, not even new connections, until it is released), and can
 * add latency to every byte.
 */
public final class TcpProxy implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    /** When each open connection is to be reset, while resets are on. */
    private final Map<InetSocketAddress, Long> resetAt = new ConcurrentHashMap<>();
    private final LongAdder resets = new LongAdder();
    private final ScheduledExecutorService resetter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "proxy-resets");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration[] resetAfter;
    private volatile boolean delaying;

    private TcpProxy(int targetPort, Duration latency, Duration deviation) throws IOException {
        reactor = new NioReactor();
        TcpCrusherBuilder builder = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", PostgresServer.Ports.free())
                .withConnectAddress("127.0.0.1", targetPort)
                .withLingerMs(0)
                .withCreationListener(this::created)
                .withDeletionListener((client, byteMeters) -> resetAt.remove(client));
        if (!latency.isZero()) {
            // Half of it each way, so that a round trip gets the whole of it; only while delaying is on.
            long half = latency.toMillis() / 2;
            long spread = deviation.toMillis() / 2;
            builder.withIncomingThrottlerFactory(a -> delayedWhileOn(half, spread))
                    .withOutgoingThrottlerFactory(a -> delayedWhileOn(half, spread));
        }
        crusher = builder.buildAndOpen();
        resetter.scheduleWithFixedDelay(this::resetDue, 50, 50, TimeUnit.MILLISECONDS);
    }

    private Throttler delayedWhileOn(long millis, long spread) {
        Throttler delay = new DelayThrottler(millis, spread, TimeUnit.MILLISECONDS);
        return buffer -> delaying ? delay.calculateDelayNs(buffer) : Throttler.NO_DELAY_NS;
    }

    /** A proxy to a port of 127.0.0.1. */
    public static TcpProxy to(int targetPort) throws IOException {
        return new TcpProxy(targetPort, Duration.ZERO, Duration.ZERO);
    }

    /**
     * A proxy that adds {@code latency} ± {@code deviation} to every round trip, once {@link #delay(boolean)} turns
     * it on (a service's start, with its migrations, need not take minutes).
     */
    public static TcpProxy withLatency(int targetPort, Duration latency, Duration deviation) throws IOException {
        return new TcpProxy(targetPort, latency, deviation);
    }

    /** Turns the latency of {@link #withLatency} on or off, for open and new connections alike. */
    public void delay(boolean on) {
        delaying = on;
    }

    public int port() {
        return crusher.getBindAddress().getPort();
    }

    /** The proxy as an HTTP base URI. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /**
     * From now on, every connection (open or new) is reset after a random time between {@code min} and {@code max}
     * of its own; {@code null}s stop it.
     */
    public void resetEachAfter(Duration min, Duration max) {
        resetAfter = min == null ? null : new Duration[] {min, max};
        resetAt.clear();
        if (min != null) {
            crusher.getClientAddresses().forEach(this::created);
        }
    }

    /** How many connections were reset so far. */
    public long resets() {
        return resets.sum();
    }

    /** Stops forwarding anything, on open and new connections alike, without closing any. */
    public void freeze() {
        crusher.freeze();
    }

    public void unfreeze() {
        crusher.unfreeze();
    }

    /** Connections open through the proxy now. */
    public int connections() {
        return crusher.getClientAddresses().size();
    }

    private void created(InetSocketAddress client) {
        Duration[] range = resetAfter;
        if (range != null) {
            long millis = ThreadLocalRandom.current().nextLong(range[0].toMillis(), range[1].toMillis() + 1);
            resetAt.put(client, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    private void resetDue() {
        long now = System.nanoTime();
        resetAt.forEach((client, at) -> {
            if (at - now <= 0 && resetAt.remove(client, at) && crusher.closeClient(client)) {
                resets.increment();
            }
        });
    }

    @Override
    public void close() {
        resetter.shutdownNow();
        crusher.close();
        reactor.close();
    }
}
