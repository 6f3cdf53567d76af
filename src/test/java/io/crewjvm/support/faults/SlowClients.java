package io.crewjvm.support.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAccumulator;

/**
 * Clients that open a connection and send a request's headers a byte a second, never finishing them (slowloris),
 * until the service closes the connection. One thread serves them all: each second it sends every open connection
 * its next byte and notes the connections the service has closed, and how long after its opening each was closed.
 */
public final class SlowClients implements AutoCloseable {

    private static final byte[] HEADERS = ("POST /api/v1/channel/slow/acquire HTTP/1.1\r\nHost: crew\r\nX-Slow: "
            + "a".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);

    private record Connection(SocketChannel channel, long openedAt) {
    }

    private final List<Connection> open = new ArrayList<>();
    private final Thread sender;
    private final DoubleAccumulator earliestClose = new DoubleAccumulator(Math::min, Double.MAX_VALUE);
    private final DoubleAccumulator latestClose = new DoubleAccumulator(Math::max, 0);
    private volatile int closed;

    /** Opens {@code count} connections to {@code service} and starts sending. */
    public SlowClients(URI service, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(service.getHost(), service.getPort()));
            channel.configureBlocking(false);
            open.add(new Connection(channel, System.nanoTime()));
        }
        sender = new Thread(this::send, "slow-clients");
        sender.setDaemon(true);
        sender.start();
    }

    private void send() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (int next = 0; !Thread.currentThread().isInterrupted(); next++) {
            ByteBuffer oneByte = ByteBuffer.wrap(HEADERS, next % HEADERS.length, 1);
            synchronized (open) {
                open.removeIf(connection -> {
                    SocketChannel channel = connection.channel();
                    try {
                        // An answer (a 408 or 400) is read and ignored: only the close counts.
                        if (channel.read(sink.clear()) < 0) {
                            channel.close();
                            return closedOne(connection);
                        }
                        channel.write(oneByte.duplicate());
                        return false;
                    } catch (IOException reset) {
                        closeQuietly(channel);
                        return closedOne(connection);
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

    private boolean closedOne(Connection connection) {
        double after = (System.nanoTime() - connection.openedAt()) / 1e9;
        earliestClose.accumulate(after);
        latestClose.accumulate(after);
        closed++;
        return true;
    }

    /** Connections the service has closed so far (seen within a second of the close). */
    public int closedByService() {
        return closed;
    }

    /** The shortest time from a connection's opening to its close by the service, in seconds. */
    public double earliestCloseSeconds() {
        return closed == 0 ? Double.NaN : earliestClose.get();
    }

    /** The longest time from a connection's opening to its close by the service, in seconds. */
    public double latestCloseSeconds() {
        return latestClose.get();
    }

    @Override
    public void close() throws InterruptedException {
        sender.interrupt();
        sender.join(5000);
        synchronized (open) {
            open.forEach(connection -> closeQuietly(connection.channel()));
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
