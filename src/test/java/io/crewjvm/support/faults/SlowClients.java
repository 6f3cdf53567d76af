package io.crewjvm.support.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that open a connection and send a request's headers a byte a second, never finishing them (slowloris),
 * until the service closes the connection. One thread serves them all: each second it sends every open connection
 * its next byte and notes the connections the service has closed.
 */
public final class SlowClients implements AutoCloseable {

    private static final byte[] HEADERS = ("POST /api/v1/channel/slow/acquire HTTP/1.1\r\nHost: crew\r\nX-Slow: "
            + "a".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);

    private final List<SocketChannel> open = new ArrayList<>();
    private final long openedAt = System.nanoTime();
    private final Thread sender;
    private volatile int connected;
    private volatile int closed;
    private volatile double lastClosedAfterSeconds;

    /** Opens {@code count} connections to {@code service} and starts sending. */
    public SlowClients(URI service, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(service.getHost(), service.getPort()));
            channel.configureBlocking(false);
            open.add(channel);
        }
        connected = count;
        sender = new Thread(this::send, "slow-clients");
        sender.setDaemon(true);
        sender.start();
    }

    private void send() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (int next = 0; !Thread.currentThread().isInterrupted() && !open.isEmpty(); next++) {
            ByteBuffer oneByte = ByteBuffer.wrap(HEADERS, next % HEADERS.length, 1);
            synchronized (open) {
                open.removeIf(channel -> {
                    try {
                        // An answer (a 408 or 400) is read and ignored: only the close counts.
                        boolean gone = channel.read(sink.clear()) < 0;
                        if (!gone) {
                            channel.write(oneByte.duplicate());
                        }
                        if (gone) {
                            channel.close();
                        }
                        return gone && closedOne();
                    } catch (IOException reset) {
                        closeQuietly(channel);
                        return closedOne();
                    }
                });
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean closedOne() {
        closed++;
        lastClosedAfterSeconds = (System.nanoTime() - openedAt) / 1e9;
        return true;
    }

    public int connected() {
        return connected;
    }

    /** Connections the service has closed so far. */
    public int closedByService() {
        return closed;
    }

    /** Seconds from the opening of the connections to the service closing the last one closed so far. */
    public double lastClosedAfterSeconds() {
        return lastClosedAfterSeconds;
    }

    @Override
    public void close() throws InterruptedException {
        sender.interrupt();
        sender.join(5000);
        synchronized (open) {
            open.forEach(SlowClients::closeQuietly);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException alreadyGone) {
            // nothing to do
        }
    }
}
